"""Hostile and careless record files (issue 13, findings 5, 6, 9 and 10): each one is a clear problem naming
the file, the line and the field, never a traceback, and nothing `ocop check` accepts fails the build."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from PIL import Image as PILImage

from ocop.problems import Severity, errors
from ocop.showrooms import read_showrooms

from conftest import GOOD_RECORD, PROJECT, copy_sample_image, only_error, read_in_binh_thuan, write

read = read_in_binh_thuan


def certificates(text: str) -> str:
    return GOOD_RECORD.split("certificates:")[0] + text


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)

# (record text, line, field, words of the message): findings 5 and 10 of issue 13.
CASES = {
    "certificates_null": (certificates("certificates: [null]\n"), 7, "certificates[0]", "found nothing"),
    "certificates_number": (certificates("certificates: 5\n"), 7, "certificates", "found 5, but expected a list"),
    "certificates_text": (certificates("certificates: three\n"), 7, "certificates", "found 'three'"),
    "certificates_list_in_list": (certificates("certificates: [[4, 76]]\n"), 7, "certificates[0]", "found a list"),
    "year_9997": (GOOD_RECORD.replace("2025-01-10", "9997-01-10"), 11, "certificates[0].date", "in the year 9997"),
    "year_9999_expires": (
        GOOD_RECORD + "    expires: 9999-12-31\n",
        13,
        "certificates[0].expires",
        "between 1990 and 2100",
    ),
    "year_1": (GOOD_RECORD.replace("2025-01-10", "0001-01-10"), 11, "certificates[0].date", "in the year 1;"),
    "complex_key": (GOOD_RECORD + "? [a, b]\n: 1\n", 13, "", "a field name must be a plain word"),
    "nesting_1000_deep": (GOOD_RECORD + "story: " + "[" * 1000 + "]" * 1000 + "\n", 13, "", "nested more than 20"),
    "nesting_100000_deep": (GOOD_RECORD + "story: " + "[" * 100_000 + "]" * 100_000 + "\n", 13, "", "nested more"),
    "self_alias": (GOOD_RECORD + "story: &me [*me]\n", 13, "", "refers to the group that contains it"),
    "billion_laughs": (LAUGHS, 5, "", "more than 10000 values"),
    "price_5000_digits": (
        GOOD_RECORD + "offer: {price: " + "9" * 5000 + "}\n",
        13,
        "",
        "a number of 5000 digits; at most 15",
    ),
    "python_tag": (GOOD_RECORD + "story: !!python/object:os.system {}\n", 13, "", "found the YAML tag"),
    "only_tilde": ("~\n", 1, "", "the file holds no fields (only '~')"),
    "only_dashes": ("---\n", 1, "", "the file holds no fields (only '---')"),
    "stars_4.0": (GOOD_RECORD.replace("stars: 4", "stars: 4.0"), 8, "certificates[0].stars", "write 4"),
    "score_72.0": (GOOD_RECORD.replace("score: 76", "score: 76.0"), 9, "certificates[0].score", "write 76"),
    "product_set_8.0": (GOOD_RECORD.replace("product_set: 9", "product_set: 9.0"), 4, "product_set", "write 9"),
    "price_120000.0": (
        GOOD_RECORD + "offer: {price: 120000.0}\n",
        13,
        "offer.price",
        "found 120000.0, a number with a decimal point, but this field takes a whole number: write 120000",
    ),
    "slug_newline": (GOOD_RECORD + 'slug: "x\\n"\n', 13, "slug", "found 'x\\n'"),
    "slug_con": (GOOD_RECORD + "slug: con\n", 13, "slug", "a name Windows reserves for a device"),
    "slug_too_long": (GOOD_RECORD + f"slug: {'a' * 81}\n", 13, "slug", "(81 characters), but at most 80"),
    "former_slug_nul": (GOOD_RECORD + "former_slugs: [nul]\n", 13, "former_slugs[0]", "Windows reserves"),
    "text_too_long": (GOOD_RECORD + f"story: {{vi: {'x' * 20_001}}}\n", 13, "", "20001 characters; at most 20000"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_record_is_one_clear_error(products_dir, name):
    text, line, field, words = CASES[name]
    write(products_dir, "phan-thiet/nuoc-mam-thu.yaml", text)
    started = time.monotonic()
    products, problems = read(products_dir)
    assert time.monotonic() - started < 20  # limits are checked before the work, not after
    assert products == []
    error = only_error(problems)
    assert (error.file, error.line, error.field) == ("products/phan-thiet/nuoc-mam-thu.yaml", line, field), str(error)
    assert words in error.text("en"), error.text("en")
    assert error.text("vi") != error.text("en")  # said in Vietnamese by default


def test_a_big_file_is_refused_before_reading(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD + "# " + "x" * 1_000_000 + "\n")
    error = only_error(read(products_dir)[1])
    assert error.line == 1 and "bytes; a record is at most 1000000 bytes" in error.text("en")


def test_control_characters_are_removed_once_with_a_warning_naming_the_field(products_dir):
    name = 'name: {vi: "Nước\\0 mắm \\e[31mđỏ\\e[0m \\u202eThử", en: "Test"}'
    write(products_dir, "phan-thiet/nuoc-mam-thu.yaml", GOOD_RECORD.replace(GOOD_RECORD.splitlines()[1], name))
    (product,), problems = read(products_dir)
    assert product.name.vi == "Nước mắm đỏ Thử"
    (warning,) = problems
    assert warning.severity is Severity.WARNING and (warning.line, warning.field) == (2, "name.vi")
    assert "control characters, terminal escape codes or text-direction overrides" in warning.text("en")


def test_a_message_prints_no_terminal_escape(products_dir):
    write(products_dir, "a.yaml", GOOD_RECORD + '"\\e[2J\\e]0;owned\\a": 1\n')  # a field name is not cleaned
    error = only_error(read(products_dir)[1])
    assert "\x1b" not in error.text("en") and "'\\x1b[2J\\x1b]0;owned\\x07' is not a field" in error.text("en")


def test_an_uppercase_web_address_is_accepted_and_written_lowercase(products_dir):
    text = GOOD_RECORD.replace("kind: household}", "kind: household, website: HTTPS://Example.VN/Shop}")
    write(products_dir, "phan-thiet/nuoc-mam-thu.yaml", text)
    (product,), problems = read(products_dir)
    assert problems == [] and product.producer.website == "https://Example.VN/Shop"


def test_a_file_name_that_cannot_be_a_folder_is_refused(products_dir):
    write(products_dir, "con.yaml", GOOD_RECORD)
    write(products_dir, "b" * 81 + ".yaml", GOOD_RECORD.replace("9001", "9002"))
    problems = read(products_dir)[1]
    said = sorted(p.text("en") for p in errors(problems))
    assert len(said) == 2
    assert "the file name gives the page address 'b" in said[0] and "81 characters, at most 80" in said[0]
    assert "'con', which cannot be used (a name Windows reserves for a device)" in said[1]


def test_symlinked_records_pointing_outside_are_not_read(tmp_path, products_dir):
    outside = write(tmp_path / "elsewhere", "secret.yaml", GOOD_RECORD)
    (products_dir / "phan-thiet").mkdir()
    (products_dir / "phan-thiet" / "nuoc-mam-thu.yaml").symlink_to(outside)
    products, problems = read(products_dir)
    assert products == []
    error = only_error(problems)
    assert error.file == "products/phan-thiet/nuoc-mam-thu.yaml"
    assert "is a link to" in error.text("en") and "outside the products folder" in error.text("en")
    assert str(outside.resolve()) in error.text("en")


def test_a_symlinked_showroom_pointing_outside_is_not_published(tmp_path):
    showroom = (PROJECT / "content" / "showrooms").glob("*.yaml").__next__().read_text(encoding="utf-8")
    outside = write(tmp_path / "elsewhere", "s.yaml", showroom)
    folder = tmp_path / "content" / "showrooms"
    folder.mkdir(parents=True)
    (folder / "s.yaml").symlink_to(outside)
    showrooms, problems = read_showrooms(folder, "Bình Thuận")
    assert showrooms == []
    assert "outside the showrooms folder" in only_error(problems).text("en")


# --- photos: what `ocop check` accepts, the build can use (finding 6), and no photo exhausts memory --------


def record_with_photo(products_dir, name: str):
    folder = products_dir / "phan-thiet"
    folder.mkdir(exist_ok=True)
    write(folder, "nuoc-mam-thu.yaml", GOOD_RECORD + f'images: ["{name}"]\n')
    return folder


def test_a_truncated_jpeg_is_refused_by_the_check(products_dir):
    folder = record_with_photo(products_dir, "cut.jpg")
    data = copy_sample_image(folder, "whole.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 2])
    error = only_error(read(products_dir)[1])
    assert (error.field, error.line) == ("images[0]", 13)
    assert "is not a readable photo" in error.text("en")


def test_a_photo_of_too_many_pixels_is_refused_before_decoding(products_dir):
    folder = record_with_photo(products_dir, "huge.png")
    PILImage.new("1", (12_000, 12_000)).save(folder / "huge.png")  # 144 megapixels in a few kilobytes
    error = only_error(read(products_dir)[1])
    assert error.field == "images[0]"
    assert "has 144 million pixels; at most 64 million" in error.text("en")


def test_a_decompression_bomb_png_is_refused(products_dir):
    folder = record_with_photo(products_dir, "bomb.png")
    PILImage.new("1", (40_000, 40_000)).save(folder / "bomb.png")  # beyond what Pillow itself opens
    error = only_error(read(products_dir)[1])
    assert "million pixels; at most 64 million" in error.text("en")


def test_a_photo_name_of_250_characters_is_refused(products_dir):
    name = "a" * 246 + ".jpg"
    folder = record_with_photo(products_dir, name)
    copy_sample_image(folder, name)
    error = only_error(read(products_dir)[1])
    assert "the photo's name has 250 characters; at most 100" in error.text("en")


# --- the build date: one plain line, exit code 2 (finding 5) ------------------------------------------


def ocop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "import sys; from ocop.cli import main; sys.exit(main(sys.argv[1:]))", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, env={**os.environ, **(env or {})})


def test_a_build_date_that_is_not_a_date_is_a_plain_error():
    done = ocop("check", "--date", "2024-13-01", "--lang", "en")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "--date '2024-13-01': not a real date; write it year-month-day, e.g. 2026-11-22"


def test_a_source_date_epoch_that_is_not_a_number_is_a_plain_error():
    done = ocop("check", env={"SOURCE_DATE_EPOCH": "abc", "OCOP_LANG": "vi"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("SOURCE_DATE_EPOCH='abc': không phải một thời điểm")


def test_the_staff_index_skips_a_hostile_record_without_crashing(products_dir):
    """The staff tools glance at every record (ocop.index): nesting 100,000 deep crashed the YAML library."""
    from ocop.index import build_index

    write(products_dir, "a.yaml", "story: " + "[" * 100_000 + "]" * 100_000 + "\n")
    write(products_dir, "b.yaml", LAUGHS)
    write(products_dir, "c.yaml", GOOD_RECORD)
    index = build_index(products_dir, use_cache=False)
    assert sorted((e.path.name, e.id) for e in index.entries) == [
        ("a.yaml", None),
        ("b.yaml", None),
        ("c.yaml", "bt-pt-9001"),
    ]


def test_a_wrong_build_date_setting_is_one_plain_line(tmp_path):
    """OCOP_BUILD_DATE in pelicanconf.py is checked like --date: exit 2 and what to write, no traceback."""
    import subprocess
    import sys

    ocop = [sys.executable, "-m", "ocop_catalogue.command"]
    site = tmp_path / "s"
    assert subprocess.run([*ocop, "init", str(site)], capture_output=True).returncode == 0
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write('OCOP_BUILD_DATE = "2026-02-30"\n')
    for command in (["check"], ["build"]):
        res = subprocess.run([*ocop, *command], cwd=site, capture_output=True, text=True)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
        assert "OCOP_BUILD_DATE = '2026-02-30' trong pelicanconf.py: không phải một ngày có thật" in res.stderr
    given = subprocess.run([*ocop, "check", "--date", "2026-11-22"], cwd=site, capture_output=True, text=True)
    assert given.returncode == 0, given.stderr  # --date replaces the setting
