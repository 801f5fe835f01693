"""The search index and pages, without a browser (tests/test_search_browser.py drives Chromium)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from lxml import html

from ocop.text import fold
from ocop_search import index as search_index  # noqa: E402
from ocop_search import record  # noqa: E402


def read_index(root: Path, lang: str) -> dict:
    """One language's index as search.js sees it: entry, decoded postings, cards by product slug."""
    bundle = root / search_index.BUNDLE_DIR
    entry = json.loads((bundle / f"{lang}.json").read_bytes())
    fields = len(entry["weights"])
    postings: dict[str, dict[int, int]] = {}
    for key, digest in entry["shards"].items():
        shard = json.loads((bundle / lang / "t" / f"{key}-{digest}.json").read_bytes())
        assert shard["lang"] == lang
        for token, gaps in shard["words"].items():
            assert search_index.shard_key(token) == key
            code, docs = 0, {}
            for gap in gaps:
                code += gap
                docs[code // fields] = code % fields
            postings[token] = docs
    cards = {}
    for n, digest in entry["chunks"].items():
        for i, card in enumerate(json.loads((bundle / lang / "c" / f"{n}-{digest}.json").read_bytes())):
            cards[card[0]] = (int(n) * entry["chunk_size"] + i, card)
    columns = json.loads((bundle / lang / f"f-{entry['filters']}.json").read_bytes())
    return {"entry": entry, "postings": postings, "cards": cards, "columns": columns}


def _position(entry: dict, pid: int) -> int:
    slot, rank = divmod(pid, entry["slot_size"])
    return sum(s[2] for s in entry["slots"][:slot]) + rank


def filter_values(index: dict, slug: str) -> dict[str, str]:
    """A product's value of each filter, decoded as search.js does."""
    entry, columns = index["entry"], index["columns"]
    pid = index["cards"][slug][0]
    pos = _position(entry, pid)
    province, district, _ = entry["slots"][pid // entry["slot_size"]]
    values = entry["values"]
    out = {
        "province": values["province"][province],
        "district": values["district"][district],
        "stars": values["stars"][int(entry["stars"][pos]) - 1],
    }
    for key in ("group", "set", "kind"):
        out[key] = values[key][int(columns[key][pos], 36)]
    return out


def test_index_covers_every_product_in_both_languages_and_nothing_else(site, catalogue):
    bundle = site / search_index.BUNDLE_DIR
    named = set()
    for lang, prefix in (("vi", "san-pham/"), ("en", "en/products/")):
        index = read_index(site, lang)
        entry = index["entry"]
        assert entry["count"] == len(catalogue.products) == sum(s[2] for s in entry["slots"])
        assert entry["prefix"] == prefix and (site / prefix).is_dir()
        assert set(index["cards"]) == {p.slug for p in catalogue.products}
        assert len(entry["stars"]) == len(entry["status"]) == len(catalogue.products)
        named |= {f"{lang}.json", f"{lang}/f-{entry['filters']}.json"}
        named |= {f"{lang}/t/{k}-{d}.json" for k, d in entry["shards"].items()}
        named |= {f"{lang}/c/{n}-{d}.json" for n, d in entry["chunks"].items()}
    on_disk = {f.relative_to(bundle).as_posix() for f in bundle.rglob("*.json")}
    assert on_disk == named  # no file left over from another build
    blobs = [f.read_bytes() for f in bundle.rglob("*.json")]
    assert len(set(blobs)) == len(blobs)  # no two files alike (precompressing equal files at once raced)
    assert not (site / "pagefind").exists()


def test_index_words_filters_and_card(site, catalogue):
    p = catalogue.by_slug["keo-dieu-thap-cam-nam-trang"]
    vi = read_index(site, "vi")
    pid, card = vi["cards"][p.slug]
    postings = vi["postings"]
    name, alt, producer, place, tags = range(len(search_index.FIELDS))
    assert postings["keo"][pid] == name and postings["dieu"][pid] == name  # tone marks folded
    assert postings["duc"][pid] == place and postings["linh"][pid] == place  # and đ: "duc linh" finds Đức Linh
    assert postings["sao"][pid] == tags and postings["4"][pid] == tags  # "4 sao"
    assert filter_values(vi, p.slug) == {
        "province": "Lâm Đồng",  # the current province (issue 10)
        "district": "Đức Linh (Bình Thuận)",
        "stars": "4 sao",
        "group": "Thực phẩm",
        "set": "Chế biến từ rau, củ, quả, hạt",  # issue 12: the product set is a filter, not text
        "kind": "Hộ sản xuất, kinh doanh",
    }
    assert pid not in postings.get("rau", {})  # ... and not searchable text
    slug, title, thumb, webp, where, former, group = card
    assert title == p.name.vi and vi["entry"]["groups"][group] == "food"
    assert vi["entry"]["values"]["group"][group] == "Thực phẩm"
    assert thumb.startswith(f"media/{p.id}/") and thumb.endswith(".jpg") and (site / thumb).is_file()
    assert webp.startswith(f"media/{p.id}/") and webp.endswith(".webp") and (site / webp).is_file()
    # issue 10: the current place first, the former district after
    assert where.lower().endswith("tỉnh lâm đồng") and former == "trước 7/2025: huyện Đức Linh"
    en = read_index(site, "en")
    assert en["postings"]["keo"][en["cards"][p.slug][0]] == alt  # the Vietnamese name, searchable in English
    assert en["postings"]["star"][en["cards"][p.slug][0]] == tags  # "4 stars": English loses the plural s
    assert {k: filter_values(en, p.slug)[k] for k in ("stars", "group", "kind")} == {
        "stars": "4 stars",
        "group": "Food",
        "kind": "Household business",
    }


def test_lapsed_products_are_indexed_as_lapsed(site, catalogue):
    assert catalogue.lapsed and catalogue.listed
    index = read_index(site, "vi")
    entry = index["entry"]
    for p in catalogue.products:
        pos = _position(entry, index["cards"][p.slug][0])
        assert entry["statuses"][entry["status"][pos]][0] == p.status.value, p.slug
    assert entry["statuses"]["x"] == ["expired", "Hết hạn"] and entry["statuses"]["r"] == ["revoked", "Đã thu hồi"]


def test_tokens_fold_tone_marks_đ_and_english_plurals():
    assert search_index.tokens("Nước mắm Đức Linh, 4-sao!", "vi") == ["nuoc", "mam", "duc", "linh", "4", "sao"]
    assert search_index.tokens("Dragon fruits, glass teas", "en") == ["dragon", "fruit", "glass", "tea"]
    assert search_index.tokens("Dragon fruits", "vi") == ["dragon", "fruits"]


def test_a_filter_with_too_many_values_is_refused():
    with pytest.raises(search_index.SearchIndexError, match="37 values of one filter, at most 36"):
        search_index._column([str(n) for n in range(37)], ["1"])


def test_the_same_catalogue_gives_the_same_bytes(catalogue, tmp_path):
    search_index.build_index(tmp_path / "a", catalogue.products, {})
    search_index.build_index(tmp_path / "b", catalogue.products[::-1], {})  # the order given does not matter
    a = {f.relative_to(tmp_path / "a"): f.read_bytes() for f in (tmp_path / "a").rglob("*") if f.is_file()}
    b = {f.relative_to(tmp_path / "b"): f.read_bytes() for f in (tmp_path / "b").rglob("*") if f.is_file()}
    assert a and a == b


def test_folded_words_only_add_what_differs():
    p = NS(
        name=NS(get=lambda lang: "Cải dún Đức Hạnh", vi="Cải dún Đức Hạnh"),
        producer=NS(name="HTX Đức Hạnh"),
        commune=None,
        district=NS(name="Đức Linh"),
        province=NS(name="Bình Thuận"),
    )
    words = record.folded_words(p, "vi").split()
    assert words == ["cai", "dun", "duc", "hanh", "binh", "thuan"]
    assert all(w == fold(w) for w in words)


def test_search_box_on_every_page_and_twin_search_pages(site):
    for path in (
        "index.html",
        "en/index.html",
        "san-pham/nuoc-mam-toan-huong/index.html",
        "danh-muc/index.html",
        "gioi-thieu-ocop/index.html",
        "en/about-ocop/index.html",
    ):
        doc = html.fromstring((site / path).read_bytes())
        form = doc.xpath(".//header//form[@class='search-box']")
        assert len(form) == 1, path
        assert form[0].get("method") == "get" and form[0].xpath(".//input[@name='q']")
        assert form[0].get("action").endswith("tim-kiem/" if "en/" not in path else "en/search/"), path
    vi = html.fromstring((site / "tim-kiem/index.html").read_bytes())
    en = html.fromstring((site / "en/search/index.html").read_bytes())
    assert vi.get("lang") == "vi" and en.get("lang") == "en"
    assert vi.xpath('.//link[@hreflang="en"]')[0].get("href") == "https://ocop.example.org/en/search/"
    assert en.xpath('.//link[@hreflang="vi"]')[0].get("href") == "https://ocop.example.org/tim-kiem/"
    assert vi.xpath(".//a[@class='lang-switch']")[0].get("href") == "../en/search/"
    strings = json.loads(vi.xpath(".//*[@id='search-strings']")[0].text)
    assert strings["found_many"] == "Tìm thấy {n} sản phẩm" and strings["order_group"][0] == "Thực phẩm"
    assert vi.xpath(".//noscript//a")  # without JavaScript, the page points to the listings
    assert (site / "theme/js/search.js").is_file()


def test_index_can_be_switched_off(tmp_path):
    from conftest import build_site

    out = tmp_path / "output"
    assert build_site(out, OCOP_SEARCH_INDEX=False) == 0
    assert not (out / search_index.BUNDLE_DIR).exists()
    assert (out / "tim-kiem/index.html").is_file() and (out / "en/search/index.html").is_file()
