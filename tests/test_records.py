"""Every bad-input case named in the catalogue issue gives a message with file, line and field."""

import unicodedata

import pytest

from ocop.problems import Severity, errors
from ocop.records import read_records

from conftest import GOOD_RECORD, copy_sample_image, only_error, read_in_binh_thuan, write

read = read_in_binh_thuan


def test_good_record_reads(products_dir):
    write(products_dir, "phan-thiet/nuoc-mam-thu.yaml", GOOD_RECORD)
    products, problems = read(products_dir)
    assert problems == []
    (p,) = products
    assert p.slug == "nuoc-mam-thu"  # default: the file name
    assert p.district.name == "Phan Thiết" and p.group.key == "food"
    assert p.current.expires.isoformat() == "2028-01-10"


def test_tab_in_yaml(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("  - stars: 4\n    score: 76", "  - stars: 4\n\tscore: 76"))
    e = only_error(read(products_dir)[1])
    assert (e.file, e.line) == ("products/a.yaml", 9)
    assert "tab" in e.message and "spaces" in e.message


def test_score_outside_star_band(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    e = only_error(read(products_dir)[1])
    assert (e.line, e.field) == (9, "certificates[0].score")
    assert "45" in e.message and "4-star" in e.message and "70 to 89" in e.message


def test_day_month_year_date(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("date: 2025-01-10", "date: 31/12/2023"))
    e = only_error(read(products_dir)[1])
    assert (e.line, e.field) == (11, "certificates[0].date")
    assert "'31/12/2023'" in e.message and "2023-12-31" in e.message


def test_impossible_date(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("date: 2025-01-10", "date: 2025-02-30"))
    e = only_error(read(products_dir)[1])
    assert e.field == "certificates[0].date" and "not a real date" in e.message


def test_unknown_district(products_dir):
    # A wrong tone is not a guess the reader makes: it suggests. (Without any tone mark, see test_places.)
    write(products_dir, "a.yaml", GOOD_RECORD.replace("district: Phan Thiết", "district: Phan Thiêt"))
    e = only_error(read(products_dir)[1])
    assert (e.line, e.field) == (5, "district")
    assert "'Phan Thiêt'" in e.message and "Did you mean Phan Thiết" in e.message


def test_district_that_does_not_exist_lists_the_real_ones(products_dir):
    # A record without `province:` is read in the current province that holds the site's (issue 10).
    write(products_dir, "a.yaml", GOOD_RECORD.replace("district: Phan Thiết", "district: Xyzzy"))
    e = only_error(read(products_dir)[1])
    assert "not a district of Tỉnh Lâm Đồng before the 2025 reform" in e.message and "Đức Linh" in e.message


def test_duplicate_id(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD)
    write(products_dir, "sub/b.yaml", GOOD_RECORD)
    e = only_error(read(products_dir)[1])
    assert (e.file, e.line, e.field) == ("products/sub/b.yaml", 1, "id")
    assert "bt-pt-9001" in e.message and "products/a.yaml" in e.message


def test_duplicate_slug(products_dir):
    write(products_dir, "a/same-name.yaml", GOOD_RECORD)
    write(products_dir, "b/same-name.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    e = only_error(read(products_dir)[1])
    assert e.field == "slug" and "'same-name'" in e.message and "products/a/same-name.yaml" in e.message


def test_duplicate_explicit_slug_names_its_line(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD)
    write(products_dir, "b.yaml", "slug: a\n" + GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    e = only_error(read(products_dir)[1])
    assert (e.file, e.line, e.field) == ("products/b.yaml", 1, "slug")


def test_missing_image(products_dir):
    copy_sample_image(products_dir, "chai-500ml.jpg")
    write(products_dir, "a.yaml", GOOD_RECORD + "images: [chai-500ml.jpg, chai-1l.jpg]\n")
    e = only_error(read(products_dir)[1])
    assert (e.line, e.field) == (13, "images[1]")
    assert "'chai-1l.jpg'" in e.message and "not found" in e.message


def test_damaged_image(products_dir):
    (products_dir / "broken.jpg").write_bytes(b"not a photo")
    write(products_dir, "a.yaml", GOOD_RECORD + "images: [broken.jpg]\n")
    e = only_error(read(products_dir)[1])
    assert e.field == "images[0]" and "not a readable photo" in e.message


def test_decomposed_unicode_is_normalised_with_a_warning(products_dir):
    decomposed = unicodedata.normalize("NFD", GOOD_RECORD)
    write(products_dir, "a.yaml", decomposed)
    products, problems = read(products_dir)
    assert not errors(problems)
    (w,) = problems
    assert w.severity is Severity.WARNING and w.line == 2 and "decomposed" in w.message
    assert products[0].name.vi == "Nước mắm thử nghiệm"
    assert unicodedata.is_normalized("NFC", products[0].producer.name)


def test_missing_english_is_a_warning(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace(', en: "Test fish sauce"', ""))
    products, problems = read(products_dir)
    (w,) = problems
    assert w.severity is Severity.WARNING and w.field == "name" and "English" in w.message
    assert products[0].missing_english == ("name",)


def test_all_errors_listed_at_once(products_dir):
    write(
        products_dir,
        "a.yaml",
        GOOD_RECORD.replace("score: 76", "score: 45").replace("district: Phan Thiết", "district: Nowhere"),
    )
    write(products_dir, "b.yaml", "id: x\nname:\n\tvi: y\n")
    write(
        products_dir,
        "c.yaml",
        GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9003").replace("kind: household", "kind: hộ gia đình"),
    )
    problems = errors(read(products_dir)[1])
    assert {(p.file, p.field) for p in problems} == {
        ("products/a.yaml", "certificates[0].score"),
        ("products/a.yaml", "district"),
        ("products/b.yaml", ""),
        ("products/c.yaml", "producer.kind"),
    }


def test_unknown_field_suggests_the_right_one(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD + "offer: {price: 85000, pricee: 3}\n")
    e = only_error(read(products_dir)[1])
    assert e.field == "offer.pricee" and "Did you mean 'price'" in e.message


def test_gtin_check_digit(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD + 'offer: {price: 85000, gtin: "8936012345670"}\n')
    e = only_error(read(products_dir)[1])
    assert e.field == "offer.gtin" and "check digit" in e.message
    write(products_dir, "a.yaml", GOOD_RECORD + 'offer: {price: 85000, gtin: "8934567890120"}\n')
    assert not errors(read(products_dir)[1])


def test_missing_required_fields_and_wrong_types(products_dir):
    write(products_dir, "a.yaml", "id: Bad Id\nname: Nước mắm\ngroup: food\ndistrict: Phan Thiết\n")
    problems = {p.field: p for p in errors(read(products_dir)[1])}
    assert "lowercase" in problems["id"].message
    assert "{vi:" in problems["name"].message
    assert "missing" in problems["producer"].message and "missing" in problems["certificates"].message


def test_product_set_must_match_group(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("product_set: 9", "product_set: 14"))
    e = only_error(read(products_dir)[1])
    assert e.field == "product_set" and "drinks" in e.message


def test_empty_file_and_wrong_encoding(products_dir):
    write(products_dir, "a.yaml", "")
    (products_dir / "b.yaml").write_bytes("id: x\nname: {vi: Nước}\n".encode("cp1258", errors="replace"))
    problems = errors(read(products_dir)[1])
    assert {p.file for p in problems} == {"products/a.yaml", "products/b.yaml"}
    assert any("empty" in p.message for p in problems) and any("UTF-8" in p.message for p in problems)


def test_field_written_twice(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD + "group: food\n")
    e = only_error(read(products_dir)[1])
    assert e.line == 13 and "twice" in e.message


def test_message_reads_as_file_line_field(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    e = only_error(read(products_dir)[1])
    assert str(e).startswith("products/a.yaml:9: error: field 'certificates[0].score': found a score of 45")


def test_fast_schema_check_agrees_with_jsonschema():
    """The compiled fast path must accept exactly what jsonschema accepts, or errors would slip through.

    fastjsonschema takes 4.0 for a whole number, so the reader uses it only on data without decimal numbers
    (`has_float`): the fast path below is the reader's."""
    import copy

    import yaml

    from ocop.recordfile import has_float
    from ocop.records import _fast_validator, _Loader, _validator

    base = yaml.load(GOOD_RECORD, Loader=_Loader)
    variants = []
    for path, value in [
        (("certificates", 0, "stars"), True),
        (("certificates", 0, "stars"), 4.0),
        (("certificates", 0, "score"), 72.0),
        (("offer",), {"price": 120000.0}),
        (("product_set",), 8.0),
        (("slug",), "x\n"),
        (("certificates", 0, "score"), False),
        (("product_set",), 0),
        (("id",), "A-1"),
        (("images",), ["a.JPG"]),
        (("images",), ["a.gif"]),
        (("certificates", 0, "date"), "2023-1-1"),
        (("name",), {"vi": ""}),
        (("name",), {"vi": "x", "fr": "y"}),
        (("offer",), {"price": 0}),
        (("offer",), {"price": 10, "gtin": "123"}),
        (("buy",), [{"channel": "shopee", "url": "ftp://x"}]),
        (("producer", "email"), "a@b"),
        (("producer", "women_led"), "yes"),
        (("certificates",), []),
    ]:
        doc = copy.deepcopy(base)
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        variants.append(doc)
    variants.append(base)
    for doc in variants:
        slow_ok = not list(_validator().iter_errors(doc))
        try:
            _fast_validator()(doc)
            fast_ok = not has_float(doc)
        except Exception:
            fast_ok = False
        assert fast_ok == slow_ok, doc


def test_parallel_reading_gives_the_same_catalogue(monkeypatch):
    """Large catalogues are read by one worker per core; the result must not depend on it."""
    from ocop import records
    from ocop.groups import BY_KEY
    from ocop.places import gazetteer

    from conftest import PROJECT

    serial = read_records(PROJECT / "products", "Bình Thuận")
    monkeypatch.setattr(records, "PARALLEL_FROM", 1)
    monkeypatch.setattr(records.os, "cpu_count", lambda: 2)
    parallel = read_records(PROJECT / "products", "Bình Thuận")
    assert [p.id for p in parallel[0]] == [p.id for p in serial[0]]
    assert parallel[1] == serial[1]
    for p in parallel[0]:
        assert p.group is BY_KEY[p.group.key]  # shared objects, not copies from the worker
        assert p.district is gazetteer().district(p.district.province, p.district.name)
        assert p.province is gazetteer().find_former_province(p.province.name).place
        assert p.place.province is p.province.current and p.place.district is p.district


def test_record_cache_reuses_only_what_is_unchanged(products_dir, tmp_path):
    cache = tmp_path / "records.pickle"
    photo = copy_sample_image(products_dir, "chai.jpg")
    write(products_dir, "a.yaml", GOOD_RECORD + "images: [chai.jpg]\n")
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    first = read_records(products_dir, "Bình Thuận", cache)
    assert not first[1] and cache.is_file()
    again = read_records(products_dir, "Bình Thuận", cache)
    assert [p.id for p in again[0]] == [p.id for p in first[0]] and not again[1]
    # an edited record is read again
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002").replace("score: 76", "score: 45"))
    assert [p.field for p in read_records(products_dir, "Bình Thuận", cache)[1]] == ["certificates[0].score"]
    # a photo that disappears is noticed although the record did not change
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    photo.unlink()
    assert [p.field for p in read_records(products_dir, "Bình Thuận", cache)[1]] == ["images[0]"]
    copy_sample_image(products_dir, "chai.jpg")
    assert read_records(products_dir, "Bình Thuận", cache)[1] == []
    # a damaged cache is ignored, not trusted
    cache.write_bytes(b"garbage")
    assert read_records(products_dir, "Bình Thuận", cache)[1] == []


def test_a_record_added_beside_others_does_not_make_the_cache_read_them_again(products_dir, tmp_path, monkeypatch):
    """A decision adds records to folders that hold hundreds: only the new file is read, unless a neighbour
    misses a photo, whose message suggests the photos lying in its folder."""
    from ocop import records

    cache = tmp_path / "records.pickle"
    copy_sample_image(products_dir, "chai.jpg")
    write(products_dir, "a.yaml", GOOD_RECORD + "images: [chai.jpg]\n")
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002") + "images: [chai-2.jpg]\n")
    read_records(products_dir, "Bình Thuận", cache)
    seen: list[str] = []
    real = records._read_all
    monkeypatch.setattr(records, "_read_all", lambda paths, *a: seen.extend(p.name for p in paths) or real(paths, *a))
    write(products_dir, "c.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9003"))
    problems = read_records(products_dir, "Bình Thuận", cache)[1]
    assert sorted(seen) == ["b.yaml", "c.yaml"]  # not a.yaml, whose photo is there
    assert [p.field for p in problems] == ["images[0]"]
    seen.clear()
    copy_sample_image(products_dir, "chai-2.jpg")
    assert read_records(products_dir, "Bình Thuận", cache)[1] == [] and seen == ["b.yaml"]


def test_record_cache_writes_a_delta_of_what_changed(products_dir, tmp_path, monkeypatch):
    """A build that read a few records again writes those only, beside the main file; the main file is written
    again when the delta grows; a delta that belongs to another main file, or is damaged, is not applied."""
    from ocop import records

    cache = tmp_path / "records.pickle"
    delta = tmp_path / "records.pickle.delta"
    for n in range(4):
        write(products_dir, f"r{n}.yaml", GOOD_RECORD.replace("bt-pt-9001", f"bt-pt-900{n}"))
    read_records(products_dir, "Bình Thuận", cache)
    main = cache.read_bytes()
    assert not delta.exists()

    def fresh_read() -> list:
        records._MEMO.clear()  # as a new process: from the files
        seen: list[str] = []
        real = records._read_all
        monkeypatch.setattr(
            records, "_read_all", lambda paths, *a: seen.extend(p.name for p in paths) or real(paths, *a)
        )
        read_records(products_dir, "Bình Thuận", cache)
        monkeypatch.setattr(records, "_read_all", real)
        return seen

    edited = GOOD_RECORD.replace("score: 76", "score: 77")  # r1's id is GOOD_RECORD's
    write(products_dir, "r1.yaml", edited)
    (products_dir / "r3.yaml").unlink()
    assert fresh_read() == ["r1.yaml"]
    assert cache.read_bytes() == main and delta.is_file()  # the main file is left alone
    assert fresh_read() == []  # the delta's entry for r1 and r3's removal are applied
    assert len(read_records(products_dir, "Bình Thuận", cache)[0]) == 3
    cache_with_delta = delta.read_bytes()
    delta.write_bytes(b"garbage")
    assert fresh_read() == ["r1.yaml"]  # without the delta, r1's entry is the main file's: stale, read again
    delta.write_bytes(cache_with_delta)
    monkeypatch.setattr(records.RecordCache, "DELTA_MIN", 0)  # a tenth of 3 records: no delta at all
    write(products_dir, "r2.yaml", edited.replace("bt-pt-9001", "bt-pt-9002"))
    assert fresh_read() == ["r2.yaml"]
    assert cache.read_bytes() != main and not delta.exists()
    assert fresh_read() == []
    # a delta left by a build that died after writing a new main file is not applied to it
    delta.write_bytes(cache_with_delta)
    records._MEMO.clear()
    loaded = records.RecordCache(cache, "Bình Thuận")
    assert loaded.entries == loaded._base and all(loaded.entries[k] is loaded._base[k] for k in loaded.entries)


# --- one definition of each field: the schema ------------------------------------------------


def test_every_schema_field_is_converted_or_copied_by_name(products_dir):
    """A field is either read by a converter with domain logic or reaches the model by name, no third way."""
    from ocop import records, schemas
    from ocop.fields import simple_values

    props = schemas.load("product")["properties"]
    assert set(props) >= records.CONVERTED, "a converter reads a field the schema does not define"
    write(products_dir, "a.yaml", GOOD_RECORD + "commune: Phú Hài\nstandards: [' VietGAP ']\nsummary: {vi: Ngon}\n")
    (p,) = read(products_dir)[0]
    copied = simple_values(schemas.load("product"), {}, records.CONVERTED)
    assert set(copied) == set(props) - records.CONVERTED
    for name in copied:
        getattr(p, name)  # every copied field is an attribute of the model, declared or not
    assert (p.commune, p.standards, p.summary.vi, p.summary.en) == ("Phú Hài", ("VietGAP",), "Ngon", None)


@pytest.fixture
def product_schema_with(monkeypatch):
    """Use a product schema with extra fields, as if they had been added to ocop/schemas/product.schema.json."""
    import copy

    from ocop import records

    def extend(**props):
        extended = copy.deepcopy(records.schema())
        extended["properties"].update(props)
        monkeypatch.setattr(records, "schema", lambda: extended)
        records._validator.cache_clear()
        records._fast_validator.cache_clear()

    yield extend
    records._validator.cache_clear()
    records._fast_validator.cache_clear()


def test_a_field_added_to_the_schema_reaches_the_model_without_code(products_dir, product_schema_with):
    import pickle

    product_schema_with(
        video={
            "$ref": "#/$defs/url",
            "description": "A video of the product.",
            "x-description-vi": "Video giới thiệu sản phẩm.",
        },
        tagline={"$ref": "#/$defs/text", "description": "A short tagline."},
    )
    write(products_dir, "a.yaml", GOOD_RECORD + "video: https://example.vn/v.mp4\ntagline: {vi: Đậm đà}\n")
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002"))
    (a, b), problems = read(products_dir)
    assert a.video == "https://example.vn/v.mp4" and b.video is None
    assert a.tagline.vi == "Đậm đà" and b.tagline is None
    assert pickle.loads(pickle.dumps(a)).video == a.video  # the record cache keeps it
    # a new bilingual text is checked for English like the others
    assert [p.field for p in problems] == ["tagline"] and "no English for tagline" in problems[0].message
    # and validated by the schema like the others
    write(products_dir, "b.yaml", GOOD_RECORD.replace("bt-pt-9001", "bt-pt-9002") + "video: youtube\n")
    e = only_error(read(products_dir)[1])
    assert (e.field, e.line) == ("video", 13) and "a web address starting with https://" in e.message


def test_unknown_attribute_is_still_an_error(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD)
    (p,) = read(products_dir)[0]
    with pytest.raises(AttributeError):
        _ = p.no_such_field


def test_allowed_values_come_from_the_schema():
    from ocop import model, schemas, showrooms

    product = schemas.load("product")["properties"]
    assert list(model.PRODUCER_KINDS) == product["producer"]["properties"]["kind"]["enum"]
    assert list(model.CHANNELS) == product["buy"]["items"]["properties"]["channel"]["enum"]
    assert list(showrooms.KINDS) == schemas.load("showroom")["properties"]["kind"]["enum"]


def test_schema_copies_for_editors_match_the_package(tmp_path):
    from ocop import schemas

    from conftest import PROJECT

    assert schemas.stale_copies(PROJECT) == [], "run `make schemas` to refresh schema/ from ocop/schemas/"
    written = schemas.write_copies(tmp_path)
    assert [p.name for p in written] == ["product.schema.json", "showroom.schema.json"]
    assert schemas.stale_copies(tmp_path) == [] and schemas.write_copies(tmp_path) == []
    with pytest.raises(KeyError):
        schemas.load("producer")


def test_record_docs_are_generated_from_the_schemas(tmp_path):
    from ocop import fields, schemas

    from conftest import PROJECT

    assert (PROJECT / "docs" / "records.md").read_text(encoding="utf-8") == fields.markdown(), (
        "docs/records.md is out of date: run `make schemas`"
    )
    for name in schemas.NAMES:
        for row in fields.rows(schemas.load(name)):
            assert row.en and row.vi, f"{name} field {row.name} needs a description in English and Vietnamese"
            assert f"| `{row.name}` |" in fields.markdown()
    assert fields.refresh(tmp_path)[-1] == tmp_path / "docs" / "records.md" and fields.refresh(tmp_path) == []


# --- the words of problems -------------------------------------------------------------------


def test_problem_can_be_said_in_vietnamese(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD.replace("score: 76", "score: 45"))
    e = only_error(read(products_dir)[1])
    assert e.text() == e.message and "70 to 89" in str(e)
    assert e.text("vi") == "gặp điểm 45 với hạng 4 sao, nhưng giấy chứng nhận 4 sao cần từ 70 đến 89 điểm"
    write(
        products_dir, "a.yaml", GOOD_RECORD.replace("kind: household", "kind: [hộ]").replace("group: food", "group: x")
    )
    said = {p.field: p.text("vi") for p in read(products_dir)[1]}
    assert said["producer.kind"] == (
        "gặp một danh sách, nhưng cần một trong enterprise (doanh nghiệp), cooperative "
        "(hợp tác xã), cooperative_group (tổ hợp tác), household (hộ sản xuất/kinh doanh)"
    )
    assert said["group"] == (
        "gặp 'x', nhưng cần một trong food, drinks, herbal, handicrafts, ornamental, tourism (hoặc tên nhóm tiếng Việt)"
    )
    write(
        products_dir,
        "a.yaml",
        GOOD_RECORD.replace("district: Phan Thiết", "district: Phan Thiet")
        .replace("  - stars: 4\n    score", "  - score")
        .replace("group: food", "group: food\nvideo: x"),
    )
    said = {p.field: p.text("vi") for p in read(products_dir)[1]}
    assert said["district"] == (  # a unique name without tone marks is read, with a warning (issue 10)
        "gặp 'Phan Thiet', viết không dấu, đã hiểu là Thành phố Phan Thiết, Tỉnh Bình Thuận; hãy viết tên có dấu cho"
        " chắc chắn"
    )
    assert said["certificates[0].stars"] == "thiếu trường 'stars'; trường này bắt buộc. (Hạng sao OCOP: 3, 4 hoặc 5.)"
    assert said["video"].startswith(
        "'video' không phải là trường của bản ghi này. Các trường được dùng ở đây: id, slug,"
    )


def test_every_record_message_is_in_the_catalog():
    """Each msgid the readers use has an entry in records.po, so translators see all of them."""
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    from conftest import PROJECT

    files = [PROJECT / "ocop" / f for f in ("recordfile.py", "records.py", "showrooms.py")]
    files.append(PROJECT / "ocop" / "content_pages.py")  # a content page's address
    used = {msg for f in files for _, msg, _, _ in extract_from_file("python", f, keywords={"N_": None})}
    with (PROJECT / "ocop" / "locale" / "vi" / "LC_MESSAGES" / "records.po").open("rb") as f:
        catalog = read_po(f)
    known = {m.id for m in catalog if m.id}
    assert used - known == set(), "add these to ocop/locale/vi/LC_MESSAGES/records.po"
    assert known - used == set(), "records.po has messages no code uses any more"
