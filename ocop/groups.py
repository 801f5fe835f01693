"""The six OCOP product groups and 26 product sets of Decision 148/QĐ-TTg (2023).

Set numbering follows public summaries of the decision (see the domain notes: sets 10–26
are unconfirmed against the decision's own text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class Group:
    key: str  # stable English key, used in records, feeds and English URLs
    numeral: str
    vi: str
    en: str
    slug_vi: str
    sets: tuple[int, ...]
    goods: bool = True  # tourism products are places and services, not goods you can ship

    def label(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def __reduce__(self):
        # Products read in worker processes come back pointing at the one shared Group.
        return (_group, (self.key,))

    def slug(self, lang: str) -> str:
        return self.slug_vi if lang == "vi" else self.key


@dataclass(frozen=True)
class ProductSet:
    number: int
    group: str
    vi: str
    en: str

    def label(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def __reduce__(self):
        return (_product_set, (self.number,))


def _group(key: str) -> Group:
    return BY_KEY[key]


def _product_set(number: int) -> ProductSet:
    return PRODUCT_SETS[number]


GROUPS: tuple[Group, ...] = (
    Group("food", "I", "Thực phẩm", "Food", "thuc-pham", tuple(range(1, 14))),
    Group("drinks", "II", "Đồ uống", "Drinks", "do-uong", tuple(range(14, 18))),
    Group("herbal", "III", "Dược liệu và sản phẩm từ dược liệu", "Herbal products", "duoc-lieu", tuple(range(18, 21))),
    Group("handicrafts", "IV", "Hàng thủ công mỹ nghệ", "Handicrafts", "thu-cong-my-nghe", (21, 22)),
    Group("ornamental", "V", "Sinh vật cảnh", "Ornamental plants and animals", "sinh-vat-canh", (23, 24, 25)),
    Group(
        "tourism",
        "VI",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community tourism and tourist sites",
        "du-lich",
        (26,),
        goods=False,
    ),
)
BY_KEY = {g.key: g for g in GROUPS}

PRODUCT_SETS: dict[int, ProductSet] = {
    s.number: s
    for s in (
        ProductSet(1, "food", "Rau, củ, quả, hạt tươi", "Fresh vegetables, tubers, fruit and nuts"),
        ProductSet(2, "food", "Thịt, thủy sản, trứng, sữa tươi", "Fresh meat, seafood, eggs and milk"),
        ProductSet(3, "food", "Gạo, ngũ cốc sơ chế", "Rice, cereals and primary-processed grains"),
        ProductSet(4, "food", "Mật ong, mật và nông sản thực phẩm khác", "Honey, syrups and other farm foods"),
        ProductSet(5, "food", "Thực phẩm ăn nhanh", "Fast food"),
        ProductSet(6, "food", "Chế biến từ gạo, ngũ cốc", "Processed from rice and cereals"),
        ProductSet(7, "food", "Chế biến từ rau, củ, quả, hạt", "Processed from vegetables, fruit and nuts"),
        ProductSet(
            8,
            "food",
            "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong",
            "Processed from meat, eggs, milk, seafood and honey",
        ),
        ProductSet(9, "food", "Tương, nước mắm, gia vị dạng lỏng", "Soy sauce, fish sauce and liquid seasonings"),
        ProductSet(10, "food", "Gia vị khác", "Other seasonings"),
        ProductSet(11, "food", "Chè (trà)", "Tea"),
        ProductSet(12, "food", "Trà từ thực vật khác", "Teas from other plants"),
        ProductSet(13, "food", "Cà phê, ca cao", "Coffee and cocoa"),
        ProductSet(14, "drinks", "Rượu trắng", "Rice spirit"),
        ProductSet(15, "drinks", "Đồ uống có cồn khác", "Other alcoholic drinks"),
        ProductSet(16, "drinks", "Nước khoáng, nước uống đóng chai", "Mineral and bottled water"),
        ProductSet(17, "drinks", "Đồ uống không cồn", "Non-alcoholic drinks"),
        ProductSet(18, "herbal", "Thực phẩm chức năng, thuốc dược liệu", "Functional foods and herbal medicines"),
        ProductSet(19, "herbal", "Mỹ phẩm từ dược liệu", "Herbal cosmetics"),
        ProductSet(20, "herbal", "Tinh dầu, dược liệu khác", "Essential oils and other herbs"),
        ProductSet(21, "handicrafts", "Thủ công mỹ nghệ gia dụng, trang trí", "Household and decorative handicrafts"),
        ProductSet(22, "handicrafts", "Vải, may mặc", "Fabric and garments"),
        ProductSet(23, "ornamental", "Hoa", "Flowers"),
        ProductSet(24, "ornamental", "Cây cảnh", "Ornamental plants"),
        ProductSet(25, "ornamental", "Động vật cảnh", "Ornamental animals"),
        ProductSet(
            26,
            "tourism",
            "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
            "Community tourism, eco-tourism and tourist sites",
        ),
    )
}


def _label_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


# Labels staff may copy from a certificate: current 148/QĐ-TTg labels, the 2018 labels
# still used by older plans (Bình Phước's), and the English ones.
_LABELS: dict[str, str] = {}
for _g in GROUPS:
    for _label in (_g.key, _g.vi, _g.en, _g.slug_vi):
        _LABELS[_label_key(_label)] = _g.key
for _old, _key in {
    "Thảo dược": "herbal",
    "Dược liệu": "herbal",
    "Vải và may mặc": "handicrafts",
    "Lưu niệm - nội thất - trang trí": "handicrafts",
    "Thủ công mỹ nghệ": "handicrafts",
    "Dịch vụ du lịch nông thôn": "tourism",
    "Dịch vụ du lịch cộng đồng và điểm du lịch": "tourism",
    "Du lịch": "tourism",
}.items():
    _LABELS[_label_key(_old)] = _key


def resolve_group(value: str) -> Group | None:
    key = _LABELS.get(_label_key(value))
    return BY_KEY[key] if key else None


def accepted_labels() -> list[str]:
    return [g.key for g in GROUPS]
