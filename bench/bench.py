"""`make bench`: our build beside Hugo's on the same synthetic catalogue: cold, nothing changed, one decision.

    make bench            # 20,000 products
    make bench N=2000     # fewer

The catalogue comes from the shared generator (`../shared/bench/gen_catalogue.py N RECORDS HUGO`): N product
records in the project's contract and the same products as a Hugo site (vi and en pages, district, star and
group taxonomies). Our build is `ocop build` in a site folder made by `ocop init` whose products are those
records (validation, both languages, QR codes, every plugin, precompression), run in a child process:

1. cold: an empty cache and no published version;
2. nothing changed: the same records again (the build sees that nothing changed and keeps the published site);
3. resaved: one record saved again with the same bytes, so every stage runs and every page is reused;
4. a decision: 20 new products, 30 renewed certificates and 2 revocations, then the build.

After each build the benchmark waits for the version before last to be deleted (a detached process does that
after the switch, see plugins/ocop_catalogue/publish.py) and prints how long it took: it is not in the build's
time, nor in its CPU time.

Then Hugo (`hugo` from requirements-bench.txt, installed by `make bench`) builds its copy from scratch, and
the report gives each of our figures as a ratio of Hugo's, in wall time and in CPU time (on a machine
shared with other work, CPU time is the steadier figure). Peak memory is the largest single process
(forked workers share pages).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
GENERATOR = PROJECT.parent / "shared" / "bench" / "gen_catalogue.py"
BUILD_EPOCH = "1795305600"  # 2026-11-22, the build date of every build here
RENEWED_ON = date(2025, 6, 1)  # before the 2025 reform: the record's own district and province still sign
TARGETS = {"cold": 2.0, "unchanged": 0.25, "decision": 0.5}  # × Hugo's cold build (issue 11)


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, load {load:.1f}"


def _generator(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_catalogue", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not the catalogue generator")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> float:
    """Wall time of a command; its CPU time (user + system, its children too) goes to CPU[cmd[0]]."""
    start, cpu = time.perf_counter(), _cpu()
    env = dict(os.environ, SOURCE_DATE_EPOCH=BUILD_EPOCH)
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit(f"{' '.join(cmd[:4])}… failed with exit code {proc.returncode}")
    CPU[cmd[0]] = _cpu() - cpu
    return wall


CPU: dict[str, float] = {}  # the last command's CPU seconds, by program


def _build(site: Path, output: Path) -> float:
    return _timed([sys.executable, "-m", "ocop_catalogue.command", "build", "--output", str(output)], site)


def _retired_gone(versions: Path) -> float:
    """Wait until the versions a build retired are deleted (a detached process does it after the build):
    how long that took. The next step then starts on a quiet disk, and the report says what the deletion took."""
    start = time.perf_counter()
    while any(versions.glob("*.retired")):
        time.sleep(0.05)
    return time.perf_counter() - start


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def decide(records: Path, gen: ModuleType, n: int) -> None:
    """One decision's worth of edits: 20 new products, 30 renewed certificates, 2 revocations."""
    rng = random.Random(11)
    files = sorted(records.rglob("*.yaml"))
    for i in range(n, n + 20):
        text, _ = gen.record(i, rng)
        (records / f"d{i % 10}" / f"syn-{i:05d}.yaml").write_text(text, encoding="utf-8")
    cert = re.compile(r"^  - \{stars: (\d), .*date: (\d{4}-\d\d-\d\d), .*\}$", re.M)
    renewed = revoked = 0
    for path in rng.sample(files, len(files)):
        text = path.read_text(encoding="utf-8")
        last = list(cert.finditer(text))[-1]
        if "revoked" in last.group(0) or last.group(2) >= "2025-06-01":
            continue
        if renewed < 30:  # re-rated at the same level before the 2025 reform, by the body of that date
            district = re.search(r"^district: (.*)$", text, re.M).group(1)  # type: ignore[union-attr]
            stars = int(last.group(1))
            lo, hi = gen.BANDS[stars]
            line = (
                f'  - {{stars: {stars}, score: {hi}, decision: "9{renewed:03d}/QĐ-UBND", date: 2025-06-01, '
                f'issuer: "{gen.issuer(stars, RENEWED_ON, district)}"}}'
            )
            text = text[: last.end()] + "\n" + line + text[last.end() :]
            renewed += 1
        elif revoked < 2:
            text = text[: last.end() - 1] + ", revoked: 2026-10-01}" + text[last.end() :]
            revoked += 1
        else:
            break
        path.write_text(text, encoding="utf-8")


def make_site(folder: Path, records: Path) -> None:
    from ocop.site_folder import create

    create(folder)
    shutil.rmtree(folder / "products")
    shutil.rmtree(folder / "content" / "showrooms")  # its sample showroom sells a sample product
    shutil.move(records, folder / "products")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--generator", type=Path, default=GENERATOR, help="gen_catalogue.py (default: %(default)s)")
    parser.add_argument("--hugo", default=shutil.which("hugo", path=str(Path(sys.executable).parent)) or "hugo")
    args = parser.parse_args()

    out, n = args.out, args.products
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    gen = _generator(args.generator)
    t = _timed([sys.executable, str(args.generator), str(n), str(out / "records"), str(out / "hugo")], out)
    site, output = out / "site", out / "site" / "output"
    make_site(site, out / "records")
    print(f"Generated {n:,} products (records and the Hugo site) in {t:.1f} s")
    print(f"Machine: {_machine()}")

    ours, cpu = {}, {}
    for step in ("cold", "unchanged", "resaved", "decision"):
        if step == "resaved":  # one record saved again with the same bytes: every stage runs, nothing renders
            record = next((site / "products").rglob("*.yaml"))
            os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 10**9))
        if step == "decision":
            decide(site / "products", gen, n)
        ours[step] = _build(site, output)
        cpu[step] = CPU[sys.executable]
        behind = _retired_gone(site / ".output.versions")
        after = f" (then {behind:.1f} s deleting the version before last, in the background)" if behind else ""
        print(f"  {step}: {ours[step]:.1f} s wall, {cpu[step]:.1f} s CPU{after}", flush=True)
    pages = sum(1 for _ in output.resolve().rglob("*.html"))
    peak = _peak_mib()
    hugo = _timed([args.hugo, "--quiet", "-s", str(out / "hugo"), "-d", str(out / "hugo-public")], out)
    hugo_cpu = CPU[args.hugo]
    hugo_pages = sum(1 for _ in (out / "hugo-public").rglob("*.html"))

    print(f"Hugo: {hugo:.1f} s wall ({hugo_cpu:.1f} s CPU) cold, {hugo_pages:,} HTML pages")
    print(f"ocop: {pages:,} HTML pages (both languages, with listings, statistics, feeds, search, .gz/.br)")
    for name, wall in ours.items():
        target = TARGETS.get(name, TARGETS["unchanged"] if name == "resaved" else 0)
        ratio = wall / hugo
        verdict = "meets" if ratio <= target else "misses"
        print(
            f"  {name:<10} {wall:7.1f} s = {ratio:.2f}× Hugo cold ({verdict} ≤ {target}×); "
            f"CPU {cpu[name]:.1f} s = {cpu[name] / hugo_cpu:.2f}× Hugo's"
        )
    print(f"  peak memory {peak:,.0f} MiB (largest process; target ≤ 1024 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
