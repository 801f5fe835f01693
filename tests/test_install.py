"""A province installs `ocop` (not editable) and starts its own site folder: the package carries everything.

The wheel is built from a copy of the project and installed into a fresh virtual environment, with
no index and no download: its dependencies are those of this test run's environment, seen through a
`.pth` file (they are not what is tested; the package is).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import BUILD_DATE, PROJECT

# Folders of the project that are not part of the package: copying them would only slow the build down.
NOT_SHIPPED = {
    ".git",
    ".venv",
    "output",
    ".preview",
    ".cache",
    "build",
    "dist",
    "node_modules",
    "products",
    "tests",
    "docs",
    "bench",
}


def not_shipped(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == PROJECT
    return {n for n in names if (top and n in NOT_SHIPPED) or n == "__pycache__" or n.endswith(".egg-info")}


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert res.returncode == 0, f"{' '.join(cmd)} in {cwd} exited {res.returncode}:\n{res.stdout}\n{res.stderr}"
    return res


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the package installed from a wheel; yields its bin/ folder."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(PROJECT, src, ignore=not_shipped)
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        tmp,
    )
    wheel = next((tmp / "dist").glob("ocop_catalogue-*.whl"))
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp)
    python = venv / "bin" / "python"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        tmp,
    )
    site_packages = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp).stdout.strip()
    )
    (site_packages / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv / "bin"


def clean_env() -> dict[str, str]:
    """The environment of a new user: no setting, site folder or Python path inherited from this run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OCOP_", "PYTHON"))}
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def ocop(bin_: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run([str(bin_ / "ocop"), *args], cwd, clean_env())


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    code = (
        "import ocop, ocop_catalogue, ocop_theme, ocop_feeds, ocop_search, ocop_showrooms, ocop_stats; "
        "print(ocop.__file__); print(ocop_catalogue.__file__); print(ocop_theme.__file__)"
    )
    files = run([str(installed / "python"), "-c", code], tmp_path, clean_env()).stdout.split()
    for file in files:
        assert Path(file).is_relative_to(installed.parent) and not Path(file).is_relative_to(PROJECT), file


def test_init_check_build_in_a_new_site_folder(installed, tmp_path):
    res = ocop(installed, "init", "tinh-moi", "--lang", "en", cwd=tmp_path)
    assert "Created a new site in tinh-moi" in res.stdout
    site = tmp_path / "tinh-moi"
    assert {"pelicanconf.py", ".gitignore", "README.md"} <= {p.name for p in site.iterdir()}
    assert (site / "schema" / "product.schema.json").is_file()
    assert list((site / "content" / "pages" / "en").glob("*.md"))
    res = ocop(installed, "check", "--date", BUILD_DATE, "--lang", "en", cwd=site)
    assert "1 product records and 1 showroom records are valid" in res.stdout
    ocop(installed, "build", "--date", BUILD_DATE, cwd=site)
    out = site / "output"
    assert "OCOP Lâm Đồng" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "san-pham" / "nuoc-mam-ca-com-phuoc-loc" / "index.html").is_file()
    assert (out / "en" / "products" / "nuoc-mam-ca-com-phuoc-loc" / "index.html").is_file()
    assert (out / "gioi-thieu-ocop" / "index.html").is_file() and (out / "theme" / "vendor" / "leaflet").is_dir()
    assert list((out / "feeds").glob("*.xml")) and (out / "sitemap.xml").is_file()
    assert (site / ".cache").is_dir()  # the site's own cache, in its own folder


def test_init_refuses_a_folder_that_is_not_empty(installed, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("keep me", encoding="utf-8")
    res = subprocess.run(
        [str(installed / "ocop"), "init", "full"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True
    )
    assert res.returncode == 2 and "không trống" in res.stderr  # Vietnamese unless --lang en
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_two_site_folders_do_not_touch_each_other(installed, tmp_path):
    for name in ("mot", "hai"):
        ocop(installed, "init", name, cwd=tmp_path)
    two = tmp_path / "hai"
    settings = two / "pelicanconf.py"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("OCOP Lâm Đồng", "OCOP Tỉnh Hai"), encoding="utf-8"
    )
    record = two / "products" / "lam-dong" / "nuoc-mam-ca-com-phuoc-loc.yaml"
    record.rename(record.with_name("nuoc-mam-hai.yaml"))
    ocop(installed, "build", "--date", BUILD_DATE, cwd=tmp_path / "mot")
    ocop(installed, "--site", str(two), "build", "--date", BUILD_DATE, cwd=tmp_path)  # from outside, named
    one_out, two_out = tmp_path / "mot" / "output", two / "output"
    assert "OCOP Tỉnh Hai" not in (one_out / "index.html").read_text(encoding="utf-8")
    assert "OCOP Tỉnh Hai" in (two_out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (one_out / "san-pham").iterdir()) == ["nuoc-mam-ca-com-phuoc-loc"]
    assert sorted(p.name for p in (two_out / "san-pham").iterdir()) == ["nuoc-mam-hai"]
    assert not (tmp_path / "output").exists() and not (tmp_path / ".cache").exists()


def test_commands_outside_a_site_folder_say_so(installed, tmp_path):
    res = subprocess.run(
        [str(installed / "ocop"), "check", "--lang", "en"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and "is not a site folder" in res.stderr and "ocop init" in res.stderr
