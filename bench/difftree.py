"""Compare two built sites file by file: `python bench/difftree.py OUTPUT_A OUTPUT_B`.

Exit 0 when both hold the same files with the same bytes (what a change meant to make the build faster
must keep); else lists the files only in one, and those that differ.
"""

from __future__ import annotations

import filecmp
import os
import sys
from pathlib import Path


def files(root: Path) -> set[str]:
    root = root.resolve()  # `output` is a link to the published version
    found = set()
    for folder, _, names in os.walk(root):
        for name in names:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def differences(a: Path, b: Path) -> tuple[list[str], list[str], list[str]]:
    fa, fb = files(a), files(b)
    ra, rb = a.resolve(), b.resolve()
    changed = sorted(n for n in fa & fb if not filecmp.cmp(ra / n, rb / n, shallow=False))
    return sorted(fa - fb), sorted(fb - fa), changed


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    only_a, only_b, changed = differences(Path(argv[0]), Path(argv[1]))
    for label, names in ((f"only in {argv[0]}", only_a), (f"only in {argv[1]}", only_b), ("differ", changed)):
        for name in names:
            print(f"{label}: {name}")
    total = len(only_a) + len(only_b) + len(changed)
    print(f"{total} difference(s) in {len(files(Path(argv[0]))):,} files", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
