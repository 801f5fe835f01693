from ocop.groups import resolve_group
from ocop.places import gazetteer
from ocop.text import fold, slugify, sort_key


def test_fold_and_slug_handle_d_stroke():
    assert fold("Đức Linh") == "duc linh"
    assert slugify("Nước mắm Bà Hai 40 độ đạm") == "nuoc-mam-ba-hai-40-do-dam"


def test_vietnamese_alphabetical_order():
    names = ["Đức Linh", "Zebra", "Ăn", "An", "Dương", "Ơn", "Ông"]
    assert sorted(names, key=sort_key) == ["An", "Ăn", "Dương", "Đức Linh", "Ông", "Ơn", "Zebra"]


def test_districts_accept_certificate_spellings():
    g = gazetteer()
    bt = g.province("Bình Thuận")
    for spelling in ("Phan Thiết", "TP Phan Thiết", "TP. Phan Thiết", "Thành phố Phan Thiết"):
        assert g.district(bt, spelling).slug == "phan-thiet"
    assert g.district(bt, "Huyện Đức Linh").name == "Đức Linh"
    assert g.district(bt, "Thị xã La Gi").kind == "town"
    assert g.district(bt, "Phú Quý").name == g.district(bt, "Phú Quí").name == "Phú Quý"
    assert g.district(g.province("Tỉnh Điện Biên"), "Tủa Chùa")


def test_district_without_tone_marks_is_not_guessed_but_suggested():
    g = gazetteer()
    bt = g.province("Bình Thuận")
    assert g.district(bt, "Duc Linh") is None
    assert g.suggest_district(bt, "Duc Linh")[0] == "Đức Linh"


def test_group_labels_old_and_new():
    assert resolve_group("food").key == "food"
    assert resolve_group("Thực phẩm").key == "food"
    assert resolve_group("Thảo dược").key == "herbal"  # 2018 label
    assert resolve_group("Vải và may mặc").key == "handicrafts"
    assert resolve_group("Dịch vụ du lịch nông thôn").key == "tourism"
    assert resolve_group("fish") is None
