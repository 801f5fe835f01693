"""The browser editor for real: Debian's chromium drives Decap CMS at /admin/ of `make edit`'s preview server, with
the real local backend (decap-server, node) writing into a copy of the sample site in a temporary folder.

Every request of the page to anything but 127.0.0.1 is refused and recorded: the editor must need no CDN.
Screenshots for the staff guides are written to a temporary folder, or to $OCOP_EDITOR_SCREENSHOTS
(`make editor-screenshots` copies them to docs/img/).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from PIL import Image

from ocop import published as memory

from conftest import PROJECT

pytestmark = pytest.mark.browser

SHOT_ENV = "OCOP_EDITOR_SCREENSHOTS"
REMOVED_SLUG, REMOVED_ID = "ca-phe-da-xoa", "bt-pt-0999"
HAND_COMMENTS = [
    ("group: food\n", "group: food  # nhóm 1: thực phẩm\n"),
    ('  phone: "0913 482 771"\n', '  # số của chủ hộ, gọi buổi sáng\n  phone: "0913 482 771"\n'),
    ("offer:\n", "# giá bán lẻ tại cửa hàng, theo bảng giá 2025\noffer:\n"),
]
STARTUP_SECONDS = 300  # the first preview build of the sample site, on a busy 2-core machine
SAVE_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Editing:
    site: Path
    url: str  # the preview server, e.g. http://127.0.0.1:PORT/
    shots: Path
    log: Path
    external: list[str] = field(default_factory=list)

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}.png"))


def _wait_ready(proc: subprocess.Popen, problems: Path, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not problems.is_file():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"`make edit` did not start (exit {proc.poll()}):\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """`python -m ocop_editor.session` (what `make edit` runs) on a copy of the sample site."""
    from ocop_editor.session import decap_server

    if shutil.which("node") is None:
        pytest.skip("node is not installed (tools/install-system-deps.sh installs it)")
    if decap_server() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("decap-server is not installed: tools/install-system-deps.sh runs `npm ci` in tools/editor")
        pytest.skip("decap-server is not installed: npm ci --prefix tools/editor")
    root = tmp_path_factory.mktemp("editor")
    site = root / "site"
    site.mkdir()
    for name in ("products", "content", "schema"):
        shutil.copytree(PROJECT / name, site / name)
    shutil.copyfile(PROJECT / "pelicanconf.py", site / "pelicanconf.py")
    # The published memory remembers a product since deleted: its address and id are never given out again.
    (site / "output.published.json").write_text(
        memory.dumps(memory.Published(slugs={REMOVED_SLUG: REMOVED_ID})), encoding="utf-8"
    )
    # A hand-edited record, with comments the form does not show.
    hand = site / "products" / "phan-thiet" / "tuong-ca-hoa-sen.yaml"
    text = hand.read_text(encoding="utf-8")
    for before, after in HAND_COMMENTS:
        assert before in text
        text = text.replace(before, after)
    hand.write_text(text, encoding="utf-8")
    shots = Path(os.environ.get(SHOT_ENV) or root / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    port, backend = _free_port(), _free_port()
    log = root / "session.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ocop_editor.session", "-C", str(site), "--port", str(port)]
            + ["--backend-port", str(backend)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the backend it starts ends with it
            env={**os.environ, "OCOP_BUILD_DATE": "2026-11-22"},
        )
    try:
        _wait_ready(proc, site / ".preview" / "admin" / "problems.json", log)
        yield Editing(site, f"http://127.0.0.1:{port}/", shots, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@pytest.fixture
def page(browser, editing):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    p = context.new_page()
    external: list[str] = []

    def only_local(route):
        # blob: and data: are the page's own memory (a photo being uploaded), not the network.
        if route.request.url.startswith(("http://127.0.0.1:", "blob:", "data:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    p.route("**/*", only_local)
    p.on("console", lambda m: print("console:", m.type, m.text))
    p.on("pageerror", lambda e: print("page error:", e))
    p.goto(editing.url + "admin/")
    p.get_by_role("button", name="Đăng nhập").click()
    p.get_by_text("Bộ sưu tập").first.wait_for()
    yield p
    context.close()
    assert external == [], f"the editor asked for files beyond 127.0.0.1: {external}"


def choose(page, name: str, text: str, nth: int = 0) -> None:
    """Pick `text` in the select field `name` (Decap's searchable select)."""
    box = page.locator(f'input[id^="{name}-field-"]').nth(nth)
    box.click()
    box.fill(text)
    # A click, not Enter: Enter in a form field would also press the form's first button.
    page.locator('[class*="-option"]').filter(has_text=re.compile("^" + re.escape(text))).first.click()


def fill(page, name: str, text: str, nth: int = 0) -> None:
    page.locator(f'input[id^="{name}-field-"]').nth(nth).fill(text)


def publish(page, saved: bool = True) -> None:
    """Công bố → Công bố ngay (publish now); with `saved`, wait for Decap's "saved" notice."""
    page.get_by_role("button", name="Công bố", exact=True).click()
    now = page.get_by_text("Công bố ngay")
    now.wait_for(state="visible")
    now.click()
    if saved:
        page.get_by_text(re.compile("^thay đổi đã được lưu$", re.IGNORECASE)).wait_for(timeout=60_000)


# What Decap shows when it refuses a save: its notices and each field's error, with the field's id.
SHOWN_ERRORS = """() => Array.from(document.querySelectorAll('[class*=ControlErrorsList], .Toastify__toast-body'))
  .map(e => { const box = e.closest('[class*=ControlContainer]'); const i = box && box.querySelector('input');
              return (i ? i.id + ': ' : '') + e.innerText; }).join('\\n')"""


def wait_for(predicate, seconds: float = SAVE_SECONDS, what: str = "", page=None) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            seen = ""
            if page is not None:
                seen = page.evaluate(SHOWN_ERRORS)
                page.screenshot(path=str(Path(os.environ.get(SHOT_ENV) or "/tmp") / "editor-failure.png"))
            pytest.fail(f"timed out waiting for {what}; the page shows:\n{seen}")
        time.sleep(0.25)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_check(site: Path) -> subprocess.CompletedProcess:
    ocop = Path(sys.executable).parent / "ocop"
    return subprocess.run(
        [str(ocop), "-C", str(site), "check", "--date", "2026-11-22"], capture_output=True, text=True, timeout=300
    )


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def add_certificate(page, index: int, stars: str, score: str, decision: str, day: str, issuer: str) -> None:
    # A new record starts with one empty certificate (it needs at least one).
    if page.locator('input[id^="stars-field-"]').count() <= index:
        page.get_by_role("button", name="Thêm giấy chứng nhận").click()
    choose(page, "stars", stars, index)
    fill(page, "score", score, index)
    # Each certificate has two `decision` and two `date` inputs: its own and its revocation's (folded away).
    fill(page, "decision", decision, 2 * index)
    fill(page, "date", day, 2 * index)
    fill(page, "issuer", issuer, index)


def test_create_product_with_certificates_and_photo_then_list_it_in_a_showroom(page, editing, tmp_path):
    folder = editing.site / "products" / "phan-thiet"
    photo = tmp_path / "mat-ong-rung.jpg"
    Image.new("RGB", (640, 480), (200, 150, 40)).save(photo, "JPEG")

    page.goto(editing.url + "admin/#/collections/products-phan-thiet/new")
    page.locator('input[id^="vi-field-"]').first.fill("Mật ong rừng Tánh Linh")
    page.locator('input[id^="en-field-"]').first.fill("Tanh Linh wild honey")
    choose(page, "group", "I. Thực phẩm")
    choose(page, "province", "Tỉnh Lâm Đồng")
    choose(page, "commune", "Phường Mũi Né")
    fill(page, "name", "Hợp tác xã Ong mật Tánh Linh")
    choose(page, "kind", "Hợp tác xã")
    add_certificate(page, 0, "3", "62", "45/QĐ-UBND", "2022-03-10", "UBND tỉnh Bình Thuận")
    add_certificate(page, 1, "4", "75", "1234/QĐ-UBND", "2025-09-15", "UBND tỉnh Lâm Đồng")
    page.get_by_role("button", name="Thêm ảnh").click()
    page.get_by_role("button", name="Chọn một hình").click()
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_role("button", name="Lấy những cái đã chọn").wait_for(state="hidden")
    page.wait_for_timeout(500)  # the media library fades out; a click meanwhile lands on its shadow
    editing.shot(page, "bien-tap-san-pham")
    publish(page)

    record = folder / "mat-ong-rung-tanh-linh.yaml"
    wait_for(record.is_file, what=f"{record} to be written", page=page)
    wait_for(lambda: (folder / "mat-ong-rung.jpg").is_file(), what="the photo beside the record")
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/product.schema.json\nid: ")
    data = load(record)
    assert data["id"] == "mat-ong-rung-tanh-linh"  # proposed from the Vietnamese name
    assert data["name"] == {"vi": "Mật ong rừng Tánh Linh", "en": "Tanh Linh wild honey"}
    assert data["images"] == ["mat-ong-rung.jpg"]
    assert [(c["stars"], c["score"], str(c["date"])) for c in data["certificates"]] == [
        (3, 62, "2022-03-10"),
        (4, 75, "2025-09-15"),
    ]
    assert "revoked" not in data["certificates"][0] and "summary" not in data  # empty fields are not written
    # The editor reports the build's verdict on the saved record.
    panel = page.locator("#ocop-problems")
    panel.get_by_text(re.compile("Bản ghi hợp lệ|vấn đề ở bản ghi này")).wait_for(timeout=SAVE_SECONDS * 1000)
    assert ": lỗi:" not in panel.inner_text()  # warnings at most: the record is published

    # Through the list, as staff do (going straight to another entry's address keeps the last form's data).
    page.locator("#ocop-problems button").click()
    page.goto(editing.url + "admin/#/collections/showrooms")
    page.get_by_text("Trung tâm OCOP Phan Thiết").first.click()
    page.get_by_role("button", name="Thêm sản phẩm trưng bày").wait_for()
    page.get_by_role("button", name="Thêm sản phẩm trưng bày").click()
    page.locator('input[id^="item-field-"]').last.fill("mat-ong-rung-tanh-linh")
    editing.shot(page, "bien-tap-diem-trung-bay")
    publish(page)
    showroom = editing.site / "content" / "showrooms" / "ocop-phan-thiet.yaml"
    wait_for(
        lambda: "mat-ong-rung-tanh-linh" in showroom.read_text(encoding="utf-8"), what="the showroom saved", page=page
    )
    assert showroom.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/showroom.schema.json\n"
    )
    assert load(showroom)["products"][-1] == "mat-ong-rung-tanh-linh"

    result = run_check(editing.site)
    assert result.returncode == 0, result.stdout + result.stderr

    vi_page = editing.site / ".preview" / "san-pham" / "mat-ong-rung-tanh-linh" / "index.html"
    en_page = editing.site / ".preview" / "en" / "products" / "mat-ong-rung-tanh-linh" / "index.html"
    wait_for(lambda: vi_page.is_file() and en_page.is_file(), what="the product's preview pages")
    assert "Mật ong rừng Tánh Linh" in fetch(editing.url + "san-pham/mat-ong-rung-tanh-linh/")
    assert "Tanh Linh wild honey" in fetch(editing.url + "en/products/mat-ong-rung-tanh-linh/")
    preview = page.context.new_page()
    preview.goto(editing.url + "san-pham/mat-ong-rung-tanh-linh/")
    editing.shot(preview, "xem-truoc-san-pham")
    preview.close()


def test_score_outside_its_star_band_is_refused_in_vietnamese_and_nothing_is_written(page, editing):
    folder = editing.site / "products" / "phan-thiet"
    before = sorted(p.name for p in folder.iterdir())
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/new")
    page.locator('input[id^="vi-field-"]').first.fill("Nước mắm điểm sai")
    choose(page, "group", "I. Thực phẩm")
    choose(page, "district", "Thành phố Phan Thiết")
    fill(page, "name", "Cơ sở thử nghiệm")
    choose(page, "kind", "Hộ sản xuất")
    add_certificate(page, 0, "4", "95", "2345/QĐ-UBND", "2021-12-24", "UBND tỉnh Bình Thuận")
    publish(page, saved=False)
    message = "gặp điểm 95 với hạng 4 sao, nhưng giấy chứng nhận 4 sao cần từ 70 đến 89 điểm"
    page.get_by_text(message).first.wait_for(timeout=20_000)
    assert "certificates[0].score" in page.locator("#ocop-problems").inner_text()
    editing.shot(page, "bien-tap-loi-diem")
    time.sleep(2)  # a write would have happened by now
    assert sorted(p.name for p in folder.iterdir()) == before
    # The same script refuses a mistyped barcode (check digit) and accepts a right one; ids from names.
    gtin = page.evaluate("ocopEditor.problems({offer: {gtin: '8936012345678'}})")
    assert gtin == ["trường 'offer.gtin': gặp '8936012345678', chữ số cuối (số kiểm tra) không khớp; mã vạch bị gõ sai"]
    assert page.evaluate("ocopEditor.problems({offer: {gtin: '8936012345674'}})") == []
    assert page.evaluate("ocopEditor.slugify('Mật ong rừng Đắk Nông')") == "mat-ong-rung-dak-nong"


def test_a_hand_written_record_keeps_its_meaning_and_its_file_name(page, editing):
    record = editing.site / "products" / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    before = load(record)
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/entries/nuoc-mam-ba-hai-40-dam")
    page.locator('input[id^="phone-field-"]').first.fill("0252 3821 999")
    page.locator('input[id^="vi-field-"]').first.fill("Nước mắm Bà Hai 40 độ đạm (mới)")
    publish(page)
    wait_for(lambda: "3821 999" in record.read_text(encoding="utf-8"), what="the record saved", page=page)
    after = load(record)
    # Decap never renames an existing file: the published address stays.
    assert sorted(p.name for p in record.parent.glob("nuoc-mam-ba-hai*")) == ["nuoc-mam-ba-hai-40-dam.yaml"]
    assert record.read_text(encoding="utf-8").startswith("# yaml-language-server: ")
    assert after["producer"].pop("phone") == "0252 3821 999"
    assert after["name"].pop("vi") == "Nước mắm Bà Hai 40 độ đạm (mới)"
    before["producer"].pop("phone")
    before["name"].pop("vi")
    assert after == before
    result = run_check(editing.site)
    assert result.returncode == 0, result.stdout + result.stderr


def wait_for_known(page) -> None:
    """The editor has read records.json (the ids and addresses it keeps)."""
    page.wait_for_function("() => Object.keys(ocopEditor.known().files).length > 0", timeout=30_000)


def test_a_published_records_id_and_address_cannot_be_changed_in_the_form(page, editing):
    record = editing.site / "products" / "phan-thiet" / "nuoc-mam-ba-hai-40-dam.yaml"
    before = record.read_bytes()
    wait_for_known(page)
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/entries/nuoc-mam-ba-hai-40-dam")
    id_box = page.locator('input[id^="id-field-"]').first
    id_box.wait_for()
    assert id_box.input_value() == "bt-pt-0004"
    id_box.fill("bt-pt-0444")
    publish(page, saved=False)
    page.get_by_text("bản ghi này đã có mã 'bt-pt-0004', gặp 'bt-pt-0444'").first.wait_for(timeout=20_000)
    assert "trường 'id':" in page.locator("#ocop-problems").inner_text()
    editing.shot(page, "bien-tap-loi-doi-ma")
    # Back to its id, but a new page address: refused too (the QR codes printed point to the old one).
    page.locator("#ocop-problems button").click()
    id_box.fill("bt-pt-0004")
    page.locator('input[id^="slug-field-"]').first.fill("nuoc-mam-ba-hai-moi")
    publish(page, saved=False)
    message = "trang của bản ghi này có địa chỉ 'nuoc-mam-ba-hai-40-dam', gặp 'nuoc-mam-ba-hai-moi'"
    page.get_by_text(message).first.wait_for(timeout=20_000)
    time.sleep(2)  # a write would have happened by now
    assert record.read_bytes() == before
    assert sorted(p.name for p in record.parent.glob("nuoc-mam-ba-hai*")) == ["nuoc-mam-ba-hai-40-dam.yaml"]


def test_a_new_product_cannot_take_an_id_or_address_given_out_before(page, editing):
    folder = editing.site / "products" / "phan-thiet"
    before = sorted(p.name for p in folder.iterdir())
    wait_for_known(page)
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/new")
    # Its file name, hence its address, would be that of a deleted product the published memory remembers.
    page.locator('input[id^="vi-field-"]').first.fill("Cà phê đã xoá")
    page.locator('input[id^="id-field-"]').first.fill("bt-pt-0004")  # the id of Nước mắm Bà Hai
    choose(page, "group", "I. Thực phẩm")
    choose(page, "district", "Thành phố Phan Thiết")
    fill(page, "name", "Cơ sở thử nghiệm")
    choose(page, "kind", "Hộ sản xuất")
    add_certificate(page, 0, "4", "75", "2345/QĐ-UBND", "2021-12-24", "UBND tỉnh Bình Thuận")
    publish(page, saved=False)
    panel = page.locator("#ocop-problems")
    panel.get_by_text("gặp mã 'bt-pt-0004', đã dùng cho sản phẩm khác", exact=False).wait_for(timeout=20_000)
    assert f"gặp địa chỉ trang '{REMOVED_SLUG}', đã công bố cho sản phẩm '{REMOVED_ID}'" in panel.inner_text()
    time.sleep(2)
    assert sorted(p.name for p in folder.iterdir()) == before
    # The same rules, as the script applies them: an address in use by a current record, a free one.
    taken = page.evaluate("ocopEditor.identityProblems({}, '', true, 'product', 'Tương cà Hoa Sen')")
    assert taken == [
        "trường 'slug': gặp địa chỉ trang 'tuong-ca-hoa-sen', đã công bố cho sản phẩm 'bt-pt-0009'; mã QR của sản "
        "phẩm đó vẫn trỏ đến đây: hãy đặt tên khác hoặc nhập một địa chỉ trang khác"
    ]
    assert page.evaluate("ocopEditor.identityProblems({}, '', true, 'product', 'Mật ong mới')") == []
    # A showroom has no page address of its own to guard beyond its id.
    assert page.evaluate("ocopEditor.identityProblems({}, '', true, 'showroom', 'Tương cà Hoa Sen')") == []


def test_decaps_own_words_are_vietnamese(page, editing):
    missing = page.evaluate(
        """() => { const out = [];
             const walk = (en, vi, path) => Object.keys(en).forEach(k => {
               const p = path ? path + '.' + k : k;
               if (en[k] && typeof en[k] === 'object') { walk(en[k], (vi && vi[k]) || {}, p); }
               else if (!vi || typeof vi[k] !== 'string') { out.push(p); } });
             walk(CMS.getLocale('en'), CMS.getLocale('vi'), ''); return out; }"""
    )
    assert missing == [], f"Decap phrases with no Vietnamese (a newer Decap?): {missing}"
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/new")
    add = page.get_by_role("button", name="Thêm giấy chứng nhận")
    add.wait_for()
    assert add.inner_text().strip() == "Thêm giấy chứng nhận"
    assert page.get_by_text(re.compile(r"^Add ")).count() == 0


def test_hand_comments_survive_a_save_from_the_form(page, editing):
    record = editing.site / "products" / "phan-thiet" / "tuong-ca-hoa-sen.yaml"
    before = load(record)
    page.goto(editing.url + "admin/#/collections/products-phan-thiet/entries/tuong-ca-hoa-sen")
    phone = page.locator('input[id^="phone-field-"]').first
    phone.wait_for()
    phone.fill("0913 482 999")
    publish(page)
    wait_for(lambda: "482 999" in record.read_text(encoding="utf-8"), what="the record saved", page=page)
    text = record.read_text(encoding="utf-8")
    for _, commented in HAND_COMMENTS:
        assert commented.replace("0913 482 771", "0913 482 999") in text, text
    assert text.startswith("# yaml-language-server: $schema=../../schema/product.schema.json\n")
    assert 'name: {vi: "Tương cà Hoa Sen", en: "Hoa Sen tomato sauce"}\n' in text  # its layout too
    after = load(record)
    assert after["producer"].pop("phone") == "0913 482 999"
    before["producer"].pop("phone")
    assert after == before
    result = run_check(editing.site)
    assert result.returncode == 0, result.stdout + result.stderr


# --- content pages (content/pages/*.md, Pelican's "Name: value" headers) --------------------------------------


def write_body(page, text: str) -> None:
    """Type at the end of the page's body, in Decap's rich text editor (what staff see first)."""
    # Into its last paragraph, then to its very end: a click in the middle may land in a table.
    page.locator('[data-slate-editor="true"] > *').last.click()
    page.keyboard.press("Control+End")
    page.wait_for_timeout(300)  # Slate moves its selection after the key event
    page.keyboard.type(text)


def test_a_new_content_page_and_its_english_twin_show_in_both_languages(page, editing):
    pages = editing.site / "content" / "pages"
    page.goto(editing.url + "admin/#/collections/pages/new")
    page.locator('input[id^="title-field-"]').first.fill("Liên hệ với Sở Công Thương")
    write_body(page, "Địa chỉ: 19 Trần Hưng Đạo, Phan Thiết.")
    editing.shot(page, "bien-tap-trang-noi-dung")
    publish(page)
    vi = pages / "lien-he-voi-so-cong-thuong.md"
    wait_for(vi.is_file, what=f"{vi} to be written", page=page)
    # The address from the title, the key from the address, the language of the collection; Pelican's headers.
    assert vi.read_text(encoding="utf-8") == (
        "Title: Liên hệ với Sở Công Thương\nSlug: lien-he-voi-so-cong-thuong\nLang: vi\n"
        "Key: lien-he-voi-so-cong-thuong\n\nĐịa chỉ: 19 Trần Hưng Đạo, Phan Thiết.\n"
    )
    panel = page.locator("#ocop-problems")
    panel.get_by_text("Trang xem trước đã cập nhật").wait_for(timeout=SAVE_SECONDS * 1000)
    panel.locator("button").click()

    page.goto(editing.url + "admin/#/collections/pages-en/new")
    page.locator('input[id^="title-field-"]').first.fill("Contact the Department of Industry and Trade")
    choose(page, "key", "Liên hệ với Sở Công Thương")  # its Vietnamese twin, by title
    write_body(page, "Address: 19 Tran Hung Dao, Phan Thiet.")
    editing.shot(page, "bien-tap-trang-tieng-anh")
    publish(page)
    en = pages / "en" / "contact-the-department-of-industry-and-trade.md"
    wait_for(en.is_file, what=f"{en} to be written", page=page)
    assert en.read_text(encoding="utf-8") == (
        "Title: Contact the Department of Industry and Trade\nSlug: contact-the-department-of-industry-and-trade\n"
        "Lang: en\nKey: lien-he-voi-so-cong-thuong\n\nAddress: 19 Tran Hung Dao, Phan Thiet.\n"
    )
    panel.get_by_text("Trang xem trước đã cập nhật").wait_for(timeout=SAVE_SECONDS * 1000)

    # The preview has both pages, each linking to the other as its translation.
    vi_url, en_url = "lien-he-voi-so-cong-thuong/", "en/contact-the-department-of-industry-and-trade/"
    vi_page = editing.site / ".preview" / vi_url / "index.html"
    en_page = editing.site / ".preview" / en_url / "index.html"
    wait_for(lambda: vi_page.is_file() and en_page.is_file(), what="the page's preview in both languages")
    vi_html, en_html = fetch(editing.url + vi_url), fetch(editing.url + en_url)
    assert "19 Trần Hưng Đạo" in vi_html and "Liên hệ với Sở Công Thương" in vi_html
    assert "19 Tran Hung Dao" in en_html and "Contact the Department of Industry and Trade" in en_html
    assert '<a class="lang-switch" href="../en/contact-the-department-of-industry-and-trade/" hreflang="en"' in vi_html
    assert '<a class="lang-switch" href="../../lien-he-voi-so-cong-thuong/" hreflang="vi"' in en_html
    preview = page.context.new_page()
    preview.goto(editing.url + en_url)
    editing.shot(preview, "xem-truoc-trang-tieng-anh")
    preview.close()


def rendered(text: str) -> str:
    """A page's body as the site's Markdown (Pelican's MARKDOWN setting) renders it."""
    import markdown

    from ocop_catalogue.pelican_defaults import PELICAN_DEFAULTS

    conf = PELICAN_DEFAULTS["MARKDOWN"]
    md = markdown.Markdown(extensions=list(conf["extension_configs"]), **{"output_format": conf["output_format"]})
    return md.convert(text.split("\n\n", 1)[1])


def test_an_existing_page_keeps_its_bytes_and_its_meaning(page, editing):
    path = editing.site / "content" / "pages" / "cach-danh-gia-sao.md"
    before = path.read_text(encoding="utf-8")
    page.goto(editing.url + "admin/#/collections/pages/entries/cach-danh-gia-sao")
    title = page.locator('input[id^="title-field-"]').first
    title.wait_for()
    # Only the title changed: only its line changes, the body (a table, a list) comes back byte for byte.
    title.fill("Cách đánh giá và xếp hạng sao OCOP")
    publish(page)
    wait_for(lambda: "sao OCOP\n" in path.read_text(encoding="utf-8"), what="the page saved", page=page)
    assert path.read_text(encoding="utf-8") == before.replace(
        "Title: Cách đánh giá và xếp hạng sao\n", "Title: Cách đánh giá và xếp hạng sao OCOP\n"
    )
    # A sentence typed in the rich text editor: Decap writes the body in its own Markdown style (`*` bullets,
    # padded tables), which the site renders as before, plus the sentence.
    # Through the list, as staff do (going straight to the entry's address keeps the last form's data).
    page.goto(editing.url + "admin/#/collections/pages")
    page.locator('a[href$="/entries/cach-danh-gia-sao"]').first.click()  # the list may show the former title
    page.locator('[data-slate-editor="true"]').first.wait_for()
    assert title.input_value() == "Cách đánh giá và xếp hạng sao OCOP"  # the page as saved, not as listed
    write_body(page, " Thêm một câu.")
    publish(page)
    wait_for(lambda: "Thêm một câu." in path.read_text(encoding="utf-8"), what="the body saved", page=page)
    after = path.read_text(encoding="utf-8")
    head = "Title: Cách đánh giá và xếp hạng sao OCOP\nSlug: cach-danh-gia-sao\nLang: vi\nKey: stars"
    assert after.split("\n\n", 1)[0] == head
    assert rendered(after).replace(" Thêm một câu.", "") == rendered(before)


def test_a_published_pages_address_and_key_cannot_be_changed_nor_taken(page, editing):
    path = editing.site / "content" / "pages" / "gioi-thieu-ocop.md"
    before = path.read_bytes()
    wait_for_known(page)
    page.goto(editing.url + "admin/#/collections/pages/entries/gioi-thieu-ocop")
    key = page.locator('input[id^="key-field-"]').first
    key.wait_for()
    key.fill("gioi-thieu")
    page.locator('input[id^="slug-field-"]').first.fill("ocop-la-gi")
    publish(page, saved=False)
    panel = page.locator("#ocop-problems")
    panel.get_by_text("trang này có địa chỉ 'gioi-thieu-ocop', gặp 'ocop-la-gi'", exact=False).wait_for(timeout=20_000)
    assert "trang này có mã nối 'about-ocop', gặp 'gioi-thieu'" in panel.inner_text()
    editing.shot(page, "bien-tap-loi-doi-dia-chi-trang")
    time.sleep(2)  # a write would have happened by now
    assert path.read_bytes() == before
    # A new page may not take an address or key of a page of its language (the other language's are its own).
    taken = page.evaluate("ocopEditor.pageProblems({slug: 'gioi-thieu-ocop', key: 'stars', lang: 'vi'}, '', true)")
    assert taken == [
        "trường 'slug': gặp địa chỉ 'gioi-thieu-ocop', đã dùng cho trang 'gioi-thieu-ocop': hãy đặt tiêu đề khác "
        "hoặc nhập địa chỉ khác",
        "trường 'key': gặp mã nối 'stars', đã dùng cho trang 'cach-danh-gia-sao' cùng ngôn ngữ; mỗi trang chỉ có "
        "một bản mỗi ngôn ngữ: hãy mở trang đó để sửa",
    ]
    assert page.evaluate("ocopEditor.pageProblems({slug: 'about-ocop', key: 'x', lang: 'vi'}, '', true)") == []
    # Nor an address of the catalogue's own (the build refuses it too: ocop_catalogue/content_pages.py).
    assert page.evaluate("ocopEditor.pageProblems({slug: 'thong-ke', key: 'y', lang: 'vi'}, '', true)") == [
        "trường 'slug': gặp địa chỉ 'thong-ke', là địa chỉ danh mục sản phẩm dùng ('/thong-ke/'): hãy đặt tiêu đề "
        "khác hoặc nhập địa chỉ khác"
    ]
