"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

from ocop import settings

from conftest import PROJECT


def test_settings_doc_lists_every_setting_with_its_default():
    assert (PROJECT / "docs/settings.md").read_text(encoding="utf-8") == settings.markdown(), (
        "docs/settings.md is out of date: run `python -m ocop.settings > docs/settings.md`"
    )
    for s in settings.SETTINGS:
        assert s.doc.strip(), f"{s.name} has no documentation"
