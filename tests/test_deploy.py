"""Serving and publishing: deploy/nginx.conf serving the built site, `ocop publish` through rclone, the CI files."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import yaml

from ocop import deploy, editor
from ocop.settings import DEFAULTS

from conftest import PROJECT, build_site

IN_CI = os.environ.get("CI") == "true"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")  # libnginx-mod-http-brotli-static
RCLONE = shutil.which("rclone")
CADDY = shutil.which("caddy") or "/usr/bin/caddy"


def need(tool: str | None, what: str) -> None:
    """Skip without the tool, except in CI: tools/install-system-deps.sh installs it, so a skip would hide a gap."""
    if tool and os.path.exists(tool):
        return
    if IN_CI:
        pytest.fail(f"{what} is not installed; tools/install-system-deps.sh installs it")
    pytest.skip(f"{what} is not installed (tools/install-system-deps.sh installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(tmp: Path, root: Path, port: int) -> Path:
    """deploy/nginx.conf as shipped, with only `listen` and `root` replaced, inside a minimal main config."""
    site = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("listen [::]:80;\n", "")
    site = site.replace("root /var/www/ocop/output;", f"root {root};")
    if not BROTLI_MODULE.exists():
        site = site.replace("brotli_static on;", "")
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    temp = tmp / "temp"
    temp.mkdir()
    main = [
        f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.exists() else "",
        "user root;" if os.geteuid() == 0 else "",  # workers must read the test's private temporary folder
        "daemon off;",
        "worker_processes 1;",
        f"pid {tmp / 'nginx.pid'};",
        f"error_log {tmp / 'error.log'};",
        "events {}",
        "http {",
        "  access_log off;",
        *(f"  {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
        f"  include {tmp / 'site.conf'};",
        "}",
    ]
    conf = tmp / "nginx.conf"
    conf.write_text("\n".join(main) + "\n", encoding="utf-8")
    return conf


def wait_for(proc: subprocess.Popen, port: int, name: str) -> None:
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else f"{name} stopped"
            time.sleep(0.1)
    pytest.fail(f"{name} did not start listening on 127.0.0.1:{port}")


@contextlib.contextmanager
def running(args: list[str], port: int, name: str, env: dict | None = None) -> Iterator[tuple[str, int]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        wait_for(proc, port, name)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def nginx_server(site: Path, tmp: Path) -> contextlib.AbstractContextManager[tuple[str, int]]:
    """Debian's nginx serving the built sample site with deploy/nginx.conf."""
    need(NGINX, "nginx")
    port = free_port()
    conf = nginx_conf(tmp, site, port)
    args = [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
    test = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    return running(args, port, "nginx")


def caddy_server(site: Path, tmp: Path) -> contextlib.AbstractContextManager[tuple[str, int]]:
    """Debian's Caddy serving the built sample site with deploy/Caddyfile as shipped: address and root come from
    the environment variables the file reads; a global block turns off what a test must not do (admin port,
    certificates)."""
    need(CADDY, "caddy")
    port = free_port()
    conf = tmp / "Caddyfile"
    shipped = (PROJECT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    conf.write_text("{\n\tadmin off\n\tauto_https off\n}\n\n" + shipped, encoding="utf-8")
    env = {
        **os.environ,
        "OCOP_SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "OCOP_ROOT": str(site),
        "XDG_CONFIG_HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp),
        "HOME": str(tmp),
    }
    return running([str(CADDY), "run", "--adapter", "caddyfile", "--config", str(conf)], port, "caddy", env)


SERVERS = {"nginx": nginx_server, "caddy": caddy_server}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def served(request, site, tmp_path_factory):
    """The built sample site served by each shipped configuration in turn; yields (host, port)."""
    tmp = tmp_path_factory.mktemp(request.param)
    with SERVERS[request.param](site, tmp) as address:
        yield address


def get(server, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, {k.lower(): v for k, v in res.getheaders()}, body


DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}


@pytest.mark.parametrize("encoding", ["br", "gzip", None])
@pytest.mark.parametrize(
    "path", ["/", "/en/", "/san-pham/nuoc-mam-phan-thiet-ba-hai/", "/theme/css/site.css", "/feeds/ocop-products.csv"]
)
def test_precompressed_files_are_served_for_each_encoding(served, site, path, encoding):
    if encoding == "br" and not BROTLI_MODULE.exists():
        need(None, "nginx's brotli module (libnginx-mod-http-brotli-static)")
    file = site / path.lstrip("/")
    file = file / "index.html" if path.endswith("/") else file
    if not file.is_file():  # a product of the sample catalogue: whichever exists
        file = next((site / "san-pham").glob("*/index.html"))
        path = "/" + file.parent.relative_to(site).as_posix() + "/"
    status, headers, body = get(served, path, "br, gzip" if encoding == "br" else encoding)
    assert status == 200
    assert headers.get("content-encoding") == encoding
    assert DECODE[encoding](body) == file.read_bytes()
    assert headers["vary"] == "Accept-Encoding"
    if encoding:
        assert len(body) < file.stat().st_size  # the precompressed file itself (Caddy sends it chunked)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/feeds/news-vi.atom", "application/atom+xml; charset=utf-8"),
        ("/feeds/showrooms.geojson", "application/geo+json; charset=utf-8"),
        ("/feeds/google-merchant-vi.tsv", "text/tab-separated-values; charset=utf-8"),
        ("/feeds/ocop-products.csv", "text/csv; charset=utf-8"),
        ("/feeds/ocop-products.json", "application/json; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/theme/css/site.css", "text/css; charset=utf-8"),
        ("/theme/js/search.js", "application/javascript; charset=utf-8"),
        ("/search-index/vi.json", "application/json; charset=utf-8"),
    ],
)
def test_content_types(served, path, content_type):
    status, headers, _ = get(served, path, "gzip")
    assert status == 200 and headers["content-type"] == content_type


def test_cache_rules_hashed_media_for_a_year_pages_for_minutes(served, site):
    photo = next((site / "media").rglob("*.webp"))
    assert re.search(r"-[0-9a-f]{8}-\d+\.webp$", photo.name), "photo names carry a content hash"
    fragment = next((site / "search-index" / "vi" / "c").glob("*.json"))  # a chunk of result cards
    immutable = "public, max-age=31536000, immutable"
    for path in ("/" + photo.relative_to(site).as_posix(), "/" + fragment.relative_to(site).as_posix()):
        assert get(served, path)[1]["cache-control"] == immutable, path
    assert get(served, "/theme/css/site.css")[1]["cache-control"] == "public, max-age=3600"
    for path in ("/", "/en/", "/feeds/news-vi.atom", "/search-index/vi.json", "/sitemap.xml"):
        assert get(served, path)[1]["cache-control"] == "public, max-age=300", path


def test_security_headers_and_csp_allow_only_what_the_pages_use(served):
    _, headers, _ = get(served, "/")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    tiles = re.match(r"https://[^/]+", DEFAULTS["OCOP_MAP_TILES"])
    assert tiles and tiles[0] in csp["img-src"].split()
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no inline scripts, no WebAssembly (search is plain JavaScript, issue 11)
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"


def test_security_headers_also_on_errors(served):
    status, headers, _ = get(served, "/khong-co-trang-nay/")
    assert status == 404
    assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers


@pytest.mark.parametrize("path", ["/khong-co-trang-nay/", "/en/no-such-page", "/san-pham/"])
def test_not_found_is_the_404_page(served, site, path):
    status, headers, body = get(served, path, "gzip")
    assert status == 404
    assert gzip.decompress(body) == (site / "404.html").read_bytes()


def test_content_language(served):
    assert get(served, "/")[1]["content-language"] == "vi"
    assert get(served, "/en/")[1]["content-language"] == "en"
    assert get(served, "/en/browse/")[1]["content-language"] == "en"
    assert "content-language" not in get(served, "/feeds/ocop-products.csv")[1]


def test_folders_redirect_to_their_slash_relatively(served):
    status, headers, _ = get(served, "/en")
    assert status in (301, 308) and headers["location"] == "/en/"  # nginx 301, Caddy 308: both permanent


def test_caddyfile_is_valid(tmp_path):
    """`caddy validate` on the file as shipped (the served tests above run it with a test address and root)."""
    need(CADDY, "caddy")
    caddy = CADDY
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    res = subprocess.run(
        [caddy, "validate", "--adapter", "caddyfile", "--config", str(PROJECT / "deploy" / "Caddyfile")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert res.returncode == 0, res.stderr


# --- ocop publish -------------------------------------------------------------------------------------------


def test_plan_sends_pages_last_and_protects_product_pages():
    steps = deploy.plan(Path("/srv/output"), "site:bucket", rclone="rclone")
    assert [s.argv[1] for s in steps] == ["copy", "copy", "sync"]
    first, pages, sync = (s.argv for s in steps)
    assert first[first.index("--filter") : first.index("--filter") + 2] == ("--filter", "- *.html")
    assert "+ *.html" in pages and pages[-6:-4] == ("--filter", "- *")  # only pages, then the common options
    assert all(f"- /{folder}**" in sync for folder in ("san-pham/", "en/products/", "media/", "diem-ban/"))
    assert all("--checksum" in s.argv for s in steps)
    assert "'+ *.html'" in steps[1].shown()  # shown as a command that can be pasted into a shell
    assert not {"- *.gz", "- *.br"} & {a for s in steps for a in s.argv}  # precompressed files go too, by default


def test_plan_for_a_plain_bucket_leaves_the_precompressed_files_behind(tmp_path):
    """OCOP_PUBLISH_PRECOMPRESSED = False: rclone itself, on real files, sends no .gz/.br and pages last."""
    need(RCLONE, "rclone")
    source, target = tmp_path / "output", tmp_path / "bucket"
    for name in ("index.html", "index.html.gz", "index.html.br", "theme/site.css", "theme/site.css.br", "a.csv.gz"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name, encoding="utf-8")
    steps = deploy.plan(source, str(target), rclone=RCLONE, precompressed=False)
    env = {**os.environ, "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    sent = []
    for step in steps:
        res = subprocess.run(step.argv, capture_output=True, text=True, env=env)
        assert res.returncode == 0, res.stderr
        sent.append(sorted(deploy.parse(res.stderr)[0]))
    assert sent == [["theme/site.css"], ["index.html"], []]
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "index.html",
        "theme/site.css",
    ]


def test_publish_refuses_without_target_or_build(tmp_path):
    with pytest.raises(deploy.PublishError, match="OCOP_PUBLISH_TARGET"):
        deploy.check_ready(tmp_path, None)
    with pytest.raises(deploy.PublishError, match="ocop build"):
        deploy.check_ready(tmp_path, "site:bucket")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def publish(args: list[str], tmp_path: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "RCLONE_CONFIG": str(tmp_path / "rclone.conf")}  # no user config: hermetic
    ocop = Path(shutil.which("ocop") or Path(os.sys.executable).parent / "ocop")
    return subprocess.run(
        [str(ocop), "-C", str(PROJECT), "publish", "--lang", lang, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )


def test_publish_to_a_local_remote_sends_only_what_changed(site, tmp_path, products_dir):
    need(RCLONE, "rclone")
    target = tmp_path / "public"
    (tmp_path / "rclone.conf").write_text("", encoding="utf-8")

    # A dry run shows the plan and changes nothing.
    dry = publish(["--output", str(site), "--to", str(target), "--dry-run"], tmp_path)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "rclone copy" in dry.stdout and "rclone sync" in dry.stdout
    assert not target.exists()
    count = len(files(site))
    assert f"{count} file(s) would be sent" in dry.stdout

    first = publish(["--output", str(site), "--to", str(target)], tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert files(target) == files(site)
    assert f"{count} file(s) were sent, 0 were deleted" in first.stdout

    # One record changes: the next build differs in a few files, and only those travel.
    shutil.copytree(PROJECT / "products", products_dir, dirs_exist_ok=True)
    record = next(p for p in sorted(products_dir.rglob("*.yaml")) if 'summary: {vi: "' in p.read_text("utf-8"))
    record.write_text(record.read_text("utf-8").replace('summary: {vi: "', 'summary: {vi: "Mới: ', 1), "utf-8")
    second_site = tmp_path / "build" / "output"
    assert build_site(second_site, products_dir, OCOP_SHOWROOMS_PATH=str(PROJECT / "content" / "showrooms")) == 0
    before, after = files(site), files(second_site)
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed and len(changed) < len(after) / 4
    again = publish(["--output", str(second_site), "--to", str(target)], tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    sent = re.search(r"(\d+) file\(s\) were sent", again.stdout)
    assert sent and int(sent[1]) == len(changed), again.stdout
    assert {k: v for k, v in files(target).items() if k in after} == after


def test_publish_never_deletes_product_pages(tmp_path, site):
    need(RCLONE, "rclone")
    (tmp_path / "rclone.conf").write_text("", encoding="utf-8")
    target = tmp_path / "public"
    target.mkdir()
    old_page = target / "san-pham" / "da-xoa" / "index.html"
    old_photo = target / "media" / "x" / "anh-0123abcd-400.jpg"
    stale = target / "feeds" / "cu.csv"
    for f in (old_page, old_photo, stale):
        f.parent.mkdir(parents=True)
        f.write_text("old", encoding="utf-8")
    res = publish(["--output", str(site), "--to", str(target)], tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert old_page.exists() and old_photo.exists()
    assert not stale.exists()
    assert "1 were deleted" in res.stdout


def versioned(site: Path, tmp_path: Path) -> Path:
    """A site folder as builds leave it: `output` a link to `.output.versions/1` (a copy of the built site)."""
    folder = tmp_path / "site"
    shutil.copytree(site, folder / ".output.versions" / "1")
    (folder / "output").symlink_to(Path(".output.versions") / "1")
    return folder / "output"


def test_publish_waits_for_a_build_and_never_sends_meanwhile(site, tmp_path):
    """A build holds the lock while it switches versions; publish waits, then says plainly it sent nothing."""
    from ocop_catalogue.publish import Layout, locked

    need(RCLONE, "rclone")
    (tmp_path / "rclone.conf").write_text("", encoding="utf-8")
    output, target = versioned(site, tmp_path), tmp_path / "public"
    with locked([Layout(output).lock], 1, print):
        res = publish(["--output", str(output), "--to", str(target), "--wait", "0.5"], tmp_path, lang="vi")
    assert res.returncode == 3, res.stdout + res.stderr
    assert "Một lần dựng hoặc xuất bản trang này vẫn đang chạy" in res.stderr and "Chưa gửi gì" in res.stderr
    assert not target.exists()
    done = publish(["--output", str(output), "--to", str(target)], tmp_path, lang="vi")
    assert done.returncode == 0 and "Đã gửi" in done.stdout and files(target) == files(site)


def test_publish_restores_the_link_from_the_versions_folder(site, tmp_path):
    """GitLab's artifacts carry `.output.versions/` but not the `output` link: publish finds the newest version."""
    need(RCLONE, "rclone")
    (tmp_path / "rclone.conf").write_text("", encoding="utf-8")
    output = versioned(site, tmp_path)
    output.unlink()
    res = publish(["--output", str(output), "--to", str(tmp_path / "public"), "--dry-run"], tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert output.is_symlink() and output.resolve() == (output.parent / ".output.versions" / "1").resolve()
    assert f"{len(files(site))} file(s) would be sent" in res.stdout


def test_publish_without_a_build_says_what_to_do_in_vietnamese(tmp_path):
    (tmp_path / "rclone.conf").write_text("", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    res = publish(["--output", str(tmp_path / "empty"), "--to", str(tmp_path / "public")], tmp_path, lang="vi")
    assert res.returncode == 2 and "chưa có index.html: hãy dựng trang trước (ocop build)" in res.stderr


# --- CI ------------------------------------------------------------------------------------------------------


def _position(commands: list[str], word: str) -> int:
    found = [i for i, c in enumerate(commands) if re.search(rf"\bocop {word}\b", c)]
    assert len(found) == 1, f"ocop {word} should run once, found {len(found)} times in {commands}"
    return found[0]


def test_github_actions_checks_then_builds_then_publishes():
    flow = yaml.safe_load((PROJECT / "deploy" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    assert "push" in flow[True]  # YAML 1.1 reads the key `on` as True
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    assert any(s.get("uses", "").startswith("actions/cache") and ".cache" in s["with"]["path"] for s in steps)
    commands = [s.get("run", "") for s in steps]
    assert _position(commands, "check") < _position(commands, "build") < _position(commands, "publish")
    assert all(k.startswith(("RCLONE_CONFIG_", "OCOP_PUBLISH_TARGET", "PYTHON")) for k in job["env"])


def test_gitlab_ci_checks_then_builds_then_publishes():
    ci = yaml.safe_load((PROJECT / "deploy" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    stages = ci["stages"]
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict) and "script" in job}
    ordered = sorted(jobs.values(), key=lambda j: stages.index(j["stage"]))
    commands = [c for job in ordered for c in job["script"]]
    assert _position(commands, "check") < _position(commands, "build") < _position(commands, "publish")
    assert ".cache/" in jobs["build"]["cache"]["paths"]
    assert "python:3.11" in ci["default"]["image"]
    # The publish job gets the built version folder (GitLab artifacts drop the `output` link; publish restores it).
    assert jobs["build"]["artifacts"]["paths"] == [".output.versions/"]


# --- what the published site tells visitors ------------------------------------------------------------------


def test_home_pages_say_when_the_site_was_updated_and_every_page_links_the_open_data(site):
    from conftest import BUILD_DATE

    for page, words in (("index.html", "Cập nhật lần cuối ngày"), ("en/index.html", "Last updated on")):
        html = (site / page).read_text(encoding="utf-8")
        assert f'{words} <time datetime="{BUILD_DATE}">' in html, page
    # Only there: a date on every page would change every page at every build, and publish would resend them all.
    product = next((site / "san-pham").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Cập nhật lần cuối" not in product
    for page in ("index.html", "en/browse/index.html", "404.html"):
        assert "#feed-opendata" in (site / page).read_text(encoding="utf-8"), page


# --- the Content-Security-Policy in a real browser ---------------------------------------------------------------

# The policy of every public page, as deploy/nginx.conf and deploy/Caddyfile send it.
PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
    "https://tile.openstreetmap.org; connect-src 'self'; worker-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

WATCH_CSP = (
    "document.addEventListener('securitypolicyviolation', e => "
    "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.mark.browser
def test_search_and_map_work_under_the_csp_in_chromium(served, browser, site):
    """The policy each server sends lets the pages do all they do: search (its index files), the map, the styles."""
    base = "http://{}:{}".format(*served)
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text or "CSP" in m.text else None
    )
    page.add_init_script(WATCH_CSP)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())  # offline tiles
    product = next((site / "san-pham").glob("*/index.html")).parent.relative_to(site).as_posix()
    page.goto(f"{base}/{product}/")
    page.wait_for_load_state("load")
    page.goto(f"{base}/diem-ban/")
    page.wait_for_selector("#showroom-map .leaflet-marker-icon", timeout=15000)
    page.goto(f"{base}/tim-kiem/?q=nuoc+mam")
    page.wait_for_selector('#search[data-busy="false"]', timeout=15000)
    page.wait_for_function("document.querySelectorAll('.search-results .card').length > 0", timeout=15000)
    page.close()
    assert problems == []


@pytest.fixture(scope="module", params=sorted(SERVERS))
def served_editor(request, tmp_path_factory):
    """The editor's /admin/ (as a build with OCOP_EDITOR writes it, for an office on GitLab) and a public page,
    served by each shipped configuration in turn; yields (host, port)."""
    from ocop.settings import read_site
    from ocop_catalogue.pelican_defaults import pelican_settings
    from ocop_editor.writer import write_admin

    tmp = tmp_path_factory.mktemp(f"editor-{request.param}")
    root = tmp / "root"
    root.mkdir()
    site = read_site(PROJECT, None, {"OCOP_EDITOR": "gitlab", "OCOP_EDITOR_REPO": "so-cong-thuong/ocop"})
    write_admin(pelican_settings(site), root, PROJECT)
    (root / "index.html").write_text("<!doctype html><title>OCOP</title>\n", encoding="utf-8")
    with SERVERS[request.param](root, tmp) as address:
        yield address


def test_the_editor_has_its_own_csp_and_the_public_pages_keep_theirs(served_editor):
    public = get(served_editor, "/")[1]["content-security-policy"]
    own = get(served_editor, "/admin/")[1]["content-security-policy"]
    assert public == PUBLIC_CSP and own != public  # the public pages' policy is not loosened for the editor
    for path in ("/admin/", "/admin/config.yml", "/admin/vendor/decap-cms.js"):
        status, headers, _ = get(served_editor, path)
        assert status == 200 and headers["content-security-policy"] == own, path
        assert headers["x-content-type-options"] == "nosniff"
    csp = dict(d.strip().split(" ", 1) for d in own.split(";"))
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]  # Decap's own code only, never code from the page


@pytest.mark.browser
def test_the_editor_runs_under_its_csp_in_chromium(served_editor, browser):
    """Decap loads its configuration, validates it and shows its login page with no policy violation."""
    base = "http://{}:{}".format(*served_editor)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "CSP" in m.text or "Content Security" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH_CSP)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name=re.compile("GitLab")).wait_for(timeout=30_000)
    page.close()
    # On 127.0.0.1 Decap first looks for `make edit`'s local backend (config.yml's local_backend), which the
    # policy refuses; at the office's public address it never does.
    assert [p for p in problems if editor.LOCAL_BACKEND_URL not in p] == []


@pytest.fixture(scope="module")
def served_logged_in_editor(tmp_path_factory):
    """The editor logged in under the deploy policy: deploy/nginx.conf as shipped (listen and root replaced) serves
    /admin/ of a copy of the sample site, and passes /api/v1 to decap-server, the local backend reading that copy.
    The test's only addition is that one `location`: Decap must reach a backend, and a git host cannot be reached
    from here (no network), so the backend is served from the site's own address, as `connect-src 'self'` allows.
    Yields ((host, port), site folder)."""
    from ocop.settings import read_site
    from ocop_catalogue.pelican_defaults import pelican_settings
    from ocop_editor.session import decap_server, start_backend
    from ocop_editor.writer import write_admin

    need(NGINX, "nginx")
    need(shutil.which("node"), "node")
    if decap_server() is None:
        need(None, "decap-server (npm ci --prefix tools/editor)")
    tmp = tmp_path_factory.mktemp("editor-logged-in")
    site_folder = tmp / "site"
    for name in ("products", "content", "schema"):
        shutil.copytree(PROJECT / name, site_folder / name)
    shutil.copyfile(PROJECT / "pelicanconf.py", site_folder / "pelicanconf.py")
    port, backend_port = free_port(), free_port()
    local = {"OCOP_EDITOR": "local", "OCOP_EDITOR_LOCAL_URL": f"http://127.0.0.1:{port}/api/v1"}
    site = read_site(site_folder, None, local)
    root = tmp / "root"
    write_admin(pelican_settings(site), root, site_folder)
    backend = start_backend(site, backend_port)
    try:
        wait_for(backend, backend_port, "decap-server")
        conf = nginx_conf(tmp, root, port)
        shipped = (tmp / "site.conf").read_text(encoding="utf-8")
        proxied = f"    location /api/v1 {{\n        proxy_pass http://127.0.0.1:{backend_port};\n    }}\n\n"
        assert "    location / {\n" in shipped
        (tmp / "site.conf").write_text(shipped.replace("    location / {\n", proxied + "    location / {\n", 1))
        args = [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
        with running(args, port, "nginx") as address:
            yield address, site_folder
    finally:
        backend.terminate()
        backend.wait(10)


@pytest.mark.browser
def test_the_logged_in_editor_opens_a_product_and_a_content_page_under_its_csp(served_logged_in_editor, browser):
    """Past the login: the product form (selects, lists, dates, photos from the backend) and the content pages'
    forms (Markdown editor, the English twin's list of Vietnamese pages) under /admin/'s policy, with no violation.
    Logging in to a real git host (GitLab, Gitea, GitHub) is not tested: there is no network here."""
    (host, port), site_folder = served_logged_in_editor
    base = f"http://{host}:{port}"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "CSP" in m.text or "Content Security" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH_CSP)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "blob:", "data:")) else r.abort())
    status, headers, _ = get((host, port), "/admin/")
    assert status == 200 and "'unsafe-eval'" in headers["content-security-policy"]
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for(timeout=30_000)
    page.goto(f"{base}/admin/#/collections/products-phan-thiet/entries/nuoc-mam-ba-hai-40-dam")
    page.locator('input[id^="id-field-"]').first.wait_for(timeout=30_000)
    assert page.locator('input[id^="id-field-"]').first.input_value() == "bt-pt-0004"
    page.get_by_text("Giấy chứng nhận").first.wait_for()
    # Through the lists, as staff do (going straight to another entry's address keeps the last form's data).
    page.goto(f"{base}/admin/#/collections/pages")
    page.locator('a[href$="/entries/gioi-thieu-ocop"]').first.click()
    title = page.locator('input[id^="title-field-"]').first
    title.wait_for(timeout=30_000)
    assert title.input_value() == "OCOP là gì?"
    page.locator('[data-slate-editor="true"]').first.wait_for()
    page.goto(f"{base}/admin/#/collections/pages-en")
    page.locator('a[href$="/entries/about-ocop"]').first.click()
    page.get_by_text("OCOP là gì?").first.wait_for(timeout=30_000)  # the twin, by its title, from the backend
    page.close()
    assert problems == []
    assert not (site_folder / ".preview").exists()  # nothing was built or written: the forms were only opened
