"""Build the site safely: one build at a time, into a new version beside `output/`, published with one rename.

`output` is a symbolic link to the published version, `.output.versions/<n>`. A build takes the site's
build lock, renders into `.output.versions/<n+1>.building`, checks it against the memory of published
URLs (ocop.published), then switches the link with a single `os.replace`: at every instant `output`
is the old complete site or the new one. The previous version stays until the next success (a server
may still be sending its files). A failed, refused or interrupted build changes nothing, and whatever a
killed build left behind is removed by the next one. A site whose `output/` is still a real folder (the
layout before versions) is moved into `.output.versions/0` by its first build.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pelican import Pelican, signals

from ocop import published as memory
from ocop.i18n import DEFAULT_LANG, LANGS, gettext_for
from ocop.problems import RecordsInvalid, chosen_lang, format_report, nothing_published
from ocop.settings import Site, read_site, value

from . import generator, incremental
from . import site as site_build
from .pelican_defaults import pelican_settings

LOCK_NAME = "build.lock"  # in the cache folder: one per site folder, shared by `ocop build` and `ocop serve`
PAUSE_ENV = "OCOP_TEST_PAUSE_AT"  # tests only: stop at a named stage so that a test can kill the build there
EXIT_INTERRUPTED = 130  # what shells report for Ctrl-C
EXIT_BUSY = 3


class _PlainFormatter(logging.Formatter):
    def format(self, record):
        return record.getMessage()


def _quiet_logging() -> None:
    """Pelican logs every file it writes; staff need only our warnings and real failures."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_PlainFormatter())
        root.addHandler(handler)
    root.setLevel(logging.WARNING)


def words(lang: str | None = None) -> Callable[[str], str]:
    """gettext for the build's messages: `lang`, else OCOP_LANG, else Vietnamese (like every `ocop` command).

    Callers name it `tr`, not `_`: the theme catalog's extraction reads every `_(...)` in plugins/.
    """
    chosen = (lang or os.environ.get("OCOP_LANG") or DEFAULT_LANG).strip().lower()[:2]
    return gettext_for("build", chosen if chosen in LANGS else DEFAULT_LANG)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _pause(stage: str) -> None:
    """Tests only: when OCOP_TEST_PAUSE_AT names this stage, say so and wait to be killed — or for
    OCOP_TEST_PAUSE_AT_SECONDS, or until the file OCOP_TEST_PAUSE_AT_UNTIL exists (a test's signal)."""
    if os.environ.get(PAUSE_ENV) != stage:
        return
    say(f"ocop-test-paused {stage}")
    deadline = time.monotonic() + float(os.environ.get(PAUSE_ENV + "_SECONDS", "600"))
    until = os.environ.get(PAUSE_ENV + "_UNTIL")
    while time.monotonic() < deadline and not (until and os.path.exists(until)):
        time.sleep(0.05)


# --- one build at a time ----------------------------------------------------------------------


class Busy(Exception):
    """Another build holds the lock and did not finish in time."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def _holder(f: IO[str]) -> str:
    f.seek(0)
    return f.read().strip() or "?"


def _acquire(path: Path, deadline: float, on_wait: Callable[[str], None]) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open until the build ends: closing unlocks
    told = False
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(f)
                f.close()
                raise Busy(holder) from None
            if not told:
                on_wait(_holder(f))
                told = True
            time.sleep(0.1)
    f.seek(0)
    f.truncate()
    f.write(f"{os.getpid()} {datetime.now():%Y-%m-%d %H:%M:%S}\n")  # who holds it, for the waiting build's message
    f.flush()
    return f


@contextlib.contextmanager
def locked(paths: list[Path], wait: float, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold an exclusive lock on each file (flock: the kernel frees it when the process dies, even by SIGKILL).

    Locks are taken in sorted order, so two builds never hold one each and wait for the other.
    """
    deadline = time.monotonic() + wait
    held: list[IO[str]] = []
    try:
        for path in sorted(set(paths)):
            held.append(_acquire(path, deadline, on_wait))
        yield
    finally:
        for f in reversed(held):
            f.close()


def lock_file(site: Site) -> Path:
    return site.cache_path / LOCK_NAME


# --- Ctrl-C and SIGTERM ------------------------------------------------------------------------


class _Interrupts:
    """Turns SIGINT and SIGTERM into KeyboardInterrupt in the build's own process, except while the new
    version is being switched in (then the signal waits for the few renames to finish)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.deferred = False
        self.pending: int | None = None

    def handle(self, signum: int, frame: Any) -> None:
        if os.getpid() != self.pid:
            os._exit(128 + signum)  # a forked render worker: quietly, the build's own process cleans up
        if self.deferred:
            self.pending = signum
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers can only be set from the main thread; Python's defaults stay
            return
        before = {s: signal.signal(s, self.handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)

    @contextlib.contextmanager
    def held_off(self) -> Iterator[None]:
        self.deferred = True
        try:
            yield
        finally:
            self.deferred = False


# --- versions of the published folder ---------------------------------------------------------

_VERSION = re.compile(r"^\d+$")


def published_path(output: str | os.PathLike) -> Path:
    """The absolute path of `output` itself: its last part is not resolved, since it is a link to a version."""
    path = Path(output).absolute()
    return path.parent.resolve() / path.name


@dataclass
class Layout:
    final: Path  # output/: the link servers and people use

    @property
    def versions(self) -> Path:
        return self.final.with_name(f".{self.final.name}.versions")

    @property
    def lock(self) -> Path:
        return self.versions / "lock"

    def numbers(self) -> list[int]:
        if not self.versions.is_dir():
            return []
        return sorted(int(p.name) for p in self.versions.iterdir() if _VERSION.match(p.name) and p.is_dir())

    def current(self) -> Path | None:
        """The published folder (the link's target, or today's real folder), if any."""
        if self.final.is_symlink():
            target = self.final.resolve()
            return target if target.is_dir() else None
        return self.final if self.final.is_dir() else None

    def link_to(self, version: Path) -> None:
        """Point `output` at `version` with one rename of a new link over the old one (atomic on POSIX)."""
        tmp = self.versions / f"link-{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(version, self.final.parent), tmp)  # relative: the site folder can move
        os.replace(tmp, self.final)

    def recover(self) -> None:
        """Remove what an interrupted build left; if `output` was lost mid-switch, point it at the newest version."""
        if self.versions.is_dir():
            retired = []
            for entry in self.versions.iterdir():
                if entry.name.endswith((".building", ".tmp")):
                    _remove(entry)
                elif entry.name.endswith(RETIRED):
                    retired.append(entry)  # a deletion cut short (killed, or the machine stopped): finish it
            delete_later(retired)
        numbers = self.numbers()
        if self.current() is None and numbers and not (self.final.exists() and not self.final.is_symlink()):
            self.link_to(self.versions / str(numbers[-1]))

    def keep_only(self, *keep: Path | None) -> None:
        """Retire every other version: renamed out of the way at once, deleted in the background.

        Deleting a version is one unlink per file (12 files a product with the .gz/.br siblings) and took longer
        than the rest of a small incremental build on a busy disk, so the build does not wait for it. A retired
        folder's name ends in RETIRED: no step reads it, it is never a version (`numbers`), and whatever a
        stopped deletion leaves is deleted again by the next build's `recover`.
        """
        names = {p.name for p in keep if p is not None and p.parent == self.versions} | {self.lock.name}
        retired = []
        for entry in self.versions.iterdir():
            if entry.name in names:
                continue
            if not entry.name.endswith(RETIRED):
                target = entry.with_name(f"{entry.name}.{os.getpid()}{RETIRED}")
                try:
                    entry.rename(target)
                except OSError:
                    _remove(entry)
                    continue
                entry = target
            retired.append(entry)
        delete_later(retired)


RETIRED = ".retired"  # the end of a retired version's name while it is being deleted


def delete_later(paths: list[Path]) -> None:
    """Delete these files or folders in a detached process, at low priority; here and now if it cannot start.

    The process is detached (its own session, no inherited output: a caller reading the build's output, as CI and
    the benchmark do, does not wait for it) and holds no lock (Python's descriptors are not inherited), so the
    next build never waits for it either.
    """
    if not paths:
        return
    devnull = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    try:
        os.posix_spawn(
            sys.executable,
            [sys.executable, "-I", "-S", "-c", _DELETER, *map(str, paths)],
            dict(os.environ),
            file_actions=devnull,
            setsid=True,
        )
    except (OSError, AttributeError, NotImplementedError):
        for path in paths:
            _remove(path)


_DELETER = """
import os, shutil, sys
os.nice(10)
for p in sys.argv[1:]:
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p, ignore_errors=True)
    else:
        try:
            os.unlink(p)
        except OSError:
            pass
"""


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _carry_media(before: Path | None, staging: Path, urls_: frozenset[str]) -> list[str]:
    """Copy (hard-link: the files never change) published media files the new build lacks into it.

    Media names carry their content's hash, so a new photo is a new URL; the old one keeps working
    for whoever cached it (marketplaces, search engines, shared links). Returns those not found.
    """
    lost = []
    for url in sorted(urls_):
        src, dest = (before / url if before else None), staging / url
        if dest.exists():
            continue
        if src is None or not src.is_file():
            lost.append(url)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)
    return lost


# --- the URL guard ------------------------------------------------------------------------------


@dataclass
class Guard:
    """The new build checked against what was published: refusals (errors) and warnings."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def manifest_path(site: Site, final: Path) -> Path:
    """OCOP_PUBLISHED_MANIFEST (relative to the site folder), else `<output>.published.json` beside output/."""
    configured = value(site.settings, "OCOP_PUBLISHED_MANIFEST")
    return site.folder / configured if configured else final.with_name(f"{final.name}.published.json")


def remembered_before(manifest: Path, current: Path | None) -> memory.Published:
    """What was published: the manifest, and the published folder's own pages when there is one."""
    stored = memory.read(manifest) or memory.Published()
    return memory.union(stored, memory.Published(*memory.scan(current))) if current else stored


def check(before: memory.Published, after: memory.Published, products: dict, tr: Callable[[str], str]) -> Guard:
    guard = Guard()
    for slug, old_id, new_id in memory.taken(before, after):
        guard.errors.append(
            tr(
                "{slug}: error: this address was published for product {old_id}; product {new_id} ({file}) now "
                "claims it, so the QR codes printed for {old_id} would show another product. If it is the same "
                "product, give it back its id {old_id} (ids never change). If it is another product, give it "
                "another slug (its file name or 'slug:'). To give the address away all the same, build with "
                "--allow-removed-urls."
            ).format(slug=slug, old_id=old_id, new_id=new_id, file=products[new_id])
        )
    for url in sorted(before.pages - after.pages):
        guard.errors.append(
            tr(
                "{url}: error: this page was published and would disappear. Product and showroom pages are printed "
                "on packaging and leaflets and must keep working: if the address (slug) changed, list the old one "
                "under 'former_slugs:' in the record; if the product lost its certificate, keep the record and mark "
                "the certificate revoked or let it expire; keep a closed showroom's record. To remove it all the "
                "same, build with --allow-removed-urls."
            ).format(url=url)
        )
    return guard


# --- the build ----------------------------------------------------------------------------------


def site_of(settings_file: str | os.PathLike, override: dict | None = None) -> Site:
    """The site whose settings file this is (its folder is the site folder)."""
    file = Path(settings_file).resolve()
    return read_site(file.parent, file, override)


def preview(settings_file: str | os.PathLike, output: str | os.PathLike, override: dict | None = None) -> int:
    return preview_site(site_of(settings_file, override), output)


def preview_site(
    site: Site, output: str | os.PathLike, lang: str | None = None, run: Callable[[dict], Any] | None = None
) -> int:
    """Build the preview in place, re-rendering only what changed (see incremental.py).

    `run` builds from the settings (default: a whole Pelican run); `ocop serve`
    passes its PreviewSession's (preview.py).

    Never used for publishing: a preview folder may keep pages of records deleted since. It takes the
    site's build lock too, because a build and a preview share the cache (records, photos, QR codes).
    """
    _quiet_logging()
    tr = words(lang)
    started = time.perf_counter()
    final = Path(output).resolve()
    settings = pelican_settings(
        site,
        {
            "OUTPUT_PATH": str(final),
            "OCOP_INCREMENTAL": True,
            "OCOP_PREVIEW": True,
            "OCOP_SEARCH_INDEX": False,  # the preview has no search
            "DELETE_OUTPUT_DIRECTORY": False,
        },
    )
    try:
        with locked([lock_file(site)], value(site.settings, "OCOP_BUILD_LOCK_WAIT"), _waiting(tr, final)):
            (run or _run_pelican)(settings)
    except Busy as exc:
        say(_busy_message(tr, exc, site, final))
        return EXIT_BUSY
    except RecordsInvalid as exc:
        print(format_report(exc.problems, chosen_lang(lang)), file=sys.stderr)
        print(tr("The preview was not updated: fix the errors above and save again."), file=sys.stderr)
        return 1
    except Exception as exc:
        logging.getLogger(__name__).exception("The preview build failed: %s", exc)
        return 2
    print(f"Preview updated in {time.perf_counter() - started:.1f} s.")
    return 0


def build(
    settings_file: str | os.PathLike,
    output: str | os.PathLike | None = None,
    override: dict | None = None,
    full: bool = False,
) -> int:
    """Build the site of a settings file; see build_site."""
    return build_site(site_of(settings_file, override), output, full=full)


def _waiting(tr: Callable[[str], str], final: Path) -> Callable[[str], None]:
    def tell(holder: str) -> None:
        say(tr("Another build of this site is running ({holder}); waiting for it to finish…").format(holder=holder))

    return tell


def _busy_message(tr: Callable[[str], str], exc: Busy, site: Site, final: Path) -> str:
    return tr(
        "Another build of this site is still running ({holder}: process id, start time); waited {seconds} s. "
        "Nothing was built: {folder} is unchanged. Run the build again when that one has finished."
    ).format(holder=exc.holder, seconds=value(site.settings, "OCOP_BUILD_LOCK_WAIT"), folder=final)


def build_site(site: Site, output: str | os.PathLike | None = None, lang: str | None = None, full: bool = False) -> int:
    """Build into a new version, check it, switch `output` to it. Returns an exit code.

    The new version reuses, by hard link, the published version's files whose inputs did not change
    (incremental.py); `full` renders everything.

    0 published; 1 records or the URL guard refused; 2 the build failed; 3 another build is running;
    130 interrupted (Ctrl-C, SIGTERM). In every case but 0 the published site is as it was.
    """
    _quiet_logging()
    tr = words(lang)
    final = published_path(output or site.folder / pelican_settings(site)["OUTPUT_PATH"])  # absolute stays
    layout = Layout(final)
    interrupts = _Interrupts()
    try:
        with interrupts.installed():
            lock_paths = [lock_file(site), layout.lock]
            with locked(lock_paths, value(site.settings, "OCOP_BUILD_LOCK_WAIT"), _waiting(tr, final)):
                return _build_locked(site, layout, interrupts, lang, full)
    except Busy as exc:
        say(_busy_message(tr, exc, site, final))
        return EXIT_BUSY
    except KeyboardInterrupt:
        say(tr("The build was interrupted. Nothing was published: {folder} is unchanged.").format(folder=final))
        return EXIT_INTERRUPTED


def _run_pelican(settings: dict) -> Any:
    """Run Pelican; returns the build's SiteBuild (for the ids behind each address)."""
    caught: list = []

    def catch(generators):
        caught.append(site_build.of(generators[0].context))

    signals.all_generators_finalized.connect(catch)
    try:
        Pelican(settings).run()
    finally:
        signals.all_generators_finalized.disconnect(catch)
    return caught[-1] if caught else None


def _build_locked(site: Site, layout: Layout, interrupts: _Interrupts, lang: str | None, full: bool = False) -> int:
    tr = words(lang)
    started = time.perf_counter()
    final = layout.final
    layout.versions.mkdir(parents=True, exist_ok=True)
    layout.recover()
    manifest = manifest_path(site, final)
    for leftover in manifest.parent.glob(f".{manifest.name}.*.tmp"):
        leftover.unlink(missing_ok=True)  # a manifest write cut short by a kill
    number = (layout.numbers() or [0])[-1] + 1
    staging = layout.versions / f"{number}.building"
    current = layout.current()
    # Only a version folder is reused: today's real output/ folder is moved as the build is published.
    previous = None if full or current is None or current.parent != layout.versions else str(current)
    settings = pelican_settings(site, {"OUTPUT_PATH": str(staging), "OCOP_PREVIOUS_BUILD": previous})
    whole = generator.whole_digest(settings)
    if previous and _nothing_changed(site, Path(previous), whole, manifest):
        say(tr("Nothing changed since the published build: {folder} stays as it is.").format(folder=final))
        return 0
    try:
        _pause("staging")
        built = _run_pelican(settings)
        _pause("built")
        code = _publish(site, layout, staging, built, manifest, interrupts, tr, whole)
    except RecordsInvalid as exc:
        print(format_report(exc.problems, chosen_lang(lang)), file=sys.stderr)
        print(nothing_published(final, chosen_lang(lang)), file=sys.stderr)
        return 1
    except memory.ManifestError as exc:
        say(
            tr("{problem}. Nothing was published: restore the file from your repository or backup.").format(problem=exc)
        )
        return 1
    except Exception as exc:  # a template or plugin error: report it plainly, publish nothing
        logging.getLogger(__name__).exception("The build failed: %s", exc)
        print(nothing_published(final, chosen_lang(lang)), file=sys.stderr)
        return 2
    finally:
        _remove(staging)  # renamed away on success; on any failure or interruption, nothing stays
    if code == 0:
        print(tr("Built {folder} in {seconds:.1f} s.").format(folder=final, seconds=time.perf_counter() - started))
    if interrupts.pending is not None:
        say(tr("The interruption came while the new site was being switched in: it is published."))
    return code


def _publish(
    site: Site,
    layout: Layout,
    staging: Path,
    built: Any,
    manifest: Path,
    interrupts: _Interrupts,
    tr: Callable[[str], str],
    whole: str | None = None,
) -> int:
    current = layout.current()
    allow = bool(value(site.settings, "OCOP_ALLOW_REMOVED_URLS"))
    before = remembered_before(manifest, current)
    products = list(built.catalogue.products) if built else []
    pages, media = memory.scan(staging)
    if not allow:
        # Only what the new build lacks is looked at: one set difference, not a stat() per published photo.
        missing = before.media - media
        lost = _carry_media(current, staging, missing)
        media = media | {url for url in missing.difference(lost) if (staging / url).is_file()}
        if lost:
            say(
                tr(
                    "warning: {count} photo file(s) published before are not in this build and the published folder "
                    "that had them is not here to keep them from (e.g. {url}): the server keeps its copies only if "
                    "the upload does not delete them."
                ).format(count=len(lost), url=lost[0])
            )
    after = memory.Published(pages, media, memory.owners(products))
    guard = Guard() if allow else check(before, after, {p.id: p.source_rel for p in products}, tr)
    if guard.errors:
        for message in guard.errors:
            say(message)
        say(
            tr("{count} published address(es) would be lost. Nothing was published: {folder} is unchanged.").format(
                count=len(guard.errors), folder=layout.final
            )
        )
        return 1
    version = layout.versions / staging.name.removesuffix(".building")
    with interrupts.held_off():  # from here to the switch, a Ctrl-C waits: a few renames
        staging.rename(version)
        _pause("versioned")
        memory.write(manifest, memory.remembered(before, after))
        _pause("remembered")
        previous = _retire(layout, current)
        layout.link_to(version)
        _pause("switched")
        incremental.PublishedPages(site.cache_path).promote(staging, version, whole)
        layout.keep_only(version, previous)
    return 0


def _nothing_changed(site: Site, previous: Path, whole: str, manifest: Path) -> bool:
    """The published version was built from these very inputs, and the URL memory is in place.

    A build asked to pause at a stage (tests) goes through every stage all the same.
    """
    if os.environ.get(PAUSE_ENV) or not manifest.is_file():
        return False
    return incremental.PublishedPages(site.cache_path).unchanged(previous, whole)


def _retire(layout: Layout, current: Path | None) -> Path | None:
    """The published folder as a version: today's real output/ folder is moved in as version 0."""
    if current is None or current != layout.final:
        return current
    old = layout.versions / "0"
    _remove(old)
    layout.final.rename(old)  # output/ is missing until the next line: once, on the first build after upgrading
    return old
