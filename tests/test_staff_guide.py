"""The staff guide's worked examples are run, in order, against a copy of the sample records.

In docs/huong-dan.md and docs/staff-guide.md, a ```console block right after an
`<!-- example -->` comment is a worked example: each `$ ` line is typed by staff, and
the lines below it must appear in what the command prints, in that order (a line `...`
stands for lines left out). `<!-- example exit=1 -->` says the command is meant to fail.
`$ export NAME=value` sets a variable for the following examples, `$ cat FILE` shows a
record (paths under products/ are read from the copy).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from ocop.cli import main

from decision_tables import copy_products

PROJECT = Path(__file__).resolve().parent.parent
GUIDES = ["docs/huong-dan.md", "docs/staff-guide.md"]
BLOCK = re.compile(r"<!-- example(?: exit=(\d+))? -->\s*\n```console\n(.*?)```", re.DOTALL)


def examples(text: str) -> list[tuple[int, str, list[str]]]:
    """(expected exit code, command, expected output lines) for every command of every example block."""
    out = []
    for m in BLOCK.finditer(text):
        code = int(m.group(1) or 0)
        for chunk in re.split(r"^\$ ", m.group(2), flags=re.MULTILINE)[1:]:
            command, *expected = chunk.rstrip("\n").split("\n")
            out.append((code, command, expected))
    return out


def run_example(command: str, products: Path, capsys, monkeypatch) -> tuple[int, str]:
    words = shlex.split(command)
    if words[0] == "export":
        name, value = words[1].split("=", 1)
        monkeypatch.setenv(name, value)
        return 0, ""
    if words[0] == "cat":
        rel = Path(words[1])
        path = products / rel.relative_to("products") if rel.parts[0] == "products" else PROJECT / rel
        return 0, path.read_text(encoding="utf-8")
    assert words[0] == "ocop", f"the guide's examples run only ocop commands, found: {command}"
    code = main(words[1:])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_in_order(expected: list[str], output: str, command: str) -> None:
    lines = [line.rstrip() for line in output.splitlines()]
    i = 0
    for want in (w.rstrip() for w in expected):
        if not want.strip() or want.strip() == "...":
            continue
        while i < len(lines) and want.strip() not in lines[i]:
            i += 1
        assert i < len(lines), f"`{command}` did not print, in this order:\n{want}\n--- it printed:\n{output}"
        i += 1


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_examples_run(guide, tmp_path, capsys, monkeypatch):
    text = (PROJECT / guide).read_text(encoding="utf-8")
    found = examples(text)
    assert len(found) >= 8, "the guide lost its worked examples"
    commands = " ".join(c for _, c, _ in found)
    for needed in ("ocop new", "ocop import", "--apply", "ocop renew", "ocop revoke", "ocop report"):
        assert needed in commands, f"{guide} has no worked example of {needed}"
    products = copy_products(tmp_path)  # the guides' site folder: a copy of the sample records and examples
    shutil.copytree(PROJECT / "docs" / "examples", tmp_path / "docs" / "examples")
    shutil.copy(PROJECT / "pelicanconf.py", tmp_path / "pelicanconf.py")  # the sample site's scope: Lâm Đồng
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795280400")  # 22/11/2026, the date the sample statuses are set for
    monkeypatch.delenv("OCOP_LANG", raising=False)
    for code, command, expected in found:
        got, output = run_example(command, products, capsys, monkeypatch)
        assert got == code, f"`{command}` exited {got}, the guide says {code}:\n{output}"
        assert_in_order(expected, output, command)
    from ocop.records import read_records

    _, problems = read_records(products, "Bình Thuận")
    assert [str(p) for p in problems if p.severity.value == "error"] == []


def test_vscode_maps_records_to_the_schema():
    import json

    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schema/product.schema.json"][0] == "products/**/*.yaml"
    for record in (PROJECT / "products").rglob("*.yaml"):
        assert record.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../../schema/product.schema.json"
        )
