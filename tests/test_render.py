"""The catalogue's page renderer (plugins/ocop_catalogue/rendering.py): cheaper than Pelican's writer, and every
page byte for byte what the writer's way of rendering makes."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, FileSystemBytecodeCache
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from conftest import BUILD_DATE, PROJECT


class Catalog(gettext.NullTranslations):
    """A gettext catalog from a dict (what GNUTranslations holds once a .mo file is read)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._catalog = dict(messages)

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)


def _environment(templates: dict[str, str], cache: Path | None = None) -> Environment:
    from ocop_catalogue import i18n

    env = Environment(loader=DictLoader(templates), autoescape=True)
    i18n.install(env)  # as the plugin prepares Pelican's environments: newstyle gettext
    if cache is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env


def _writer_way(parent: Environment, translations: gettext.NullTranslations) -> Environment:
    """The environment as the generator made it before: Jinja's own gettext wrappers, nothing compiled in."""
    env = parent.overlay()
    env.globals = dict(parent.globals)
    env.globals.update(
        gettext=_make_new_gettext(translations.gettext),
        ngettext=_make_new_ngettext(translations.ngettext),
        _=_make_new_gettext(translations.gettext),
    )
    return env


def test_constant_messages_are_compiled_in_and_render_as_gettext_does(tmp_path):
    from ocop_catalogue.rendering import lang_environment

    source = (
        '{{ _("Home") }}|{% trans %}Price{% endtrans %}|{{ _("It\'s <b>") }}|{{ _("100%% sure") }}'
        "|{% trans count=n %}{{ count }} star{% pluralize %}{{ count }} stars{% endtrans %}"
        '|{{ _(label) }}|{{ _("Hi %(who)s", who=who) }}'
    )
    words = Catalog({"Home": "Trang chủ", "Price": "Giá", "It's <b>": "Đó là <b>", "100%% sure": "chắc 100%%"})
    parent = _environment({"t.html": source})
    folded = lang_environment(parent, "vi", words)
    page = {"n": 3, "label": "Home", "who": "<Ana>"}
    assert folded.get_template("t.html").render(page) == _writer_way(parent, words).get_template("t.html").render(page)
    assert folded.get_template("t.html").render(page).startswith("Trang chủ|Giá|Đó là <b>|chắc 100%|3 stars|")
    # The constant messages are in the compiled code, not gettext calls; the others still call gettext.
    code = folded.compile(source, "t.html", raw=True)
    assert "Trang chủ" in code and "'Home'" not in code
    assert "'Hi %(who)s'" in code


def test_a_broken_translation_fails_as_it_did(tmp_path):
    """A translation naming a variable its message has not: folding leaves the call, which fails at render time
    with the error Jinja's own gettext gives, rather than when the template compiles."""
    from ocop_catalogue.rendering import lang_environment

    words = Catalog({"Home": "Trang %(page)s"})
    parent = _environment({"t.html": '{{ _("Home") }}'})
    with pytest.raises(KeyError, match="page"):
        _writer_way(parent, words).get_template("t.html").render()
    with pytest.raises(KeyError, match="page"):
        lang_environment(parent, "vi", words).get_template("t.html").render()


def test_compiled_templates_are_cached_per_language_and_catalog(tmp_path):
    """The bytecode cache keeps compiled templates between builds: a translator's edit must still show, and a
    page in English must not get the Vietnamese words, though the template files are the same."""
    from ocop_catalogue.rendering import lang_environment

    templates = {"t.html": '{{ _("Home") }}'}
    cache = tmp_path / "jinja"
    cache.mkdir()
    renders = [
        lang_environment(_environment(templates, cache), lang, Catalog(words)).get_template("t.html").render()
        for lang, words in (("vi", {"Home": "Trang chủ"}), ("en", {}), ("vi", {"Home": "Nhà"}), ("vi", {}))
    ]
    assert renders == ["Trang chủ", "Home", "Nhà", "Home"]
    assert len(list(cache.iterdir())) == 4


def test_a_page_sees_what_its_templates_read(tmp_path):
    from ocop_catalogue.rendering import names_read, page_base

    templates = {
        "page.html": '{% extends "base.html" %}{% import "m.html" as m %}{% block b %}{{ A }}{% endblock %}',
        "base.html": '{{ B }}{% block b %}{% endblock %}{% include "inc.html" %}',
        "inc.html": "{{ C }}{% if D is defined %}d{% endif %}",
        "m.html": "{% macro x() %}{{ E }}{% endmacro %}",
    }
    env = _environment(templates)
    names = names_read(env, ["page.html"])
    assert {"A", "B", "C", "D", "E"} <= names
    # The preview builds again in one process: an edited template is read again.
    templates["inc.html"] = "{{ F }}"
    assert {"A", "B", "E", "F"} <= names_read(env, ["page.html"]) and "C" not in names_read(env, ["page.html"])
    context = {"A": 1, "B": 2, "C": 3, "UNREAD": 4, "pages": [], "OCOP_DEFAULT_SOCIAL_IMAGE": "x.png"}
    # `pages` (content_url) and the catalogue's settings (read with ocop.settings.value) are read by functions.
    assert page_base(context, names) == {"A": 1, "B": 2, "C": 3, "pages": [], "OCOP_DEFAULT_SOCIAL_IMAGE": "x.png"}


def test_file_writer_makes_folders_and_writes_utf8(tmp_path):
    from ocop_catalogue.rendering import FileWriter

    out = FileWriter(str(tmp_path))
    out.write("a/b/index.html", "Đà Lạt\n")
    out.write("a/b/other.html", "x")
    out.write("index.html", "y")
    assert (tmp_path / "a/b/index.html").read_bytes() == "Đà Lạt\n".encode()
    assert sorted(os.listdir(tmp_path / "a/b")) == ["index.html", "other.html"]
    assert (tmp_path / "index.html").read_text() == "y"


@pytest.fixture(scope="module")
def generator(tmp_path_factory):
    """The sample site's catalogue generator, its context made (every plugin's), its photos rendered."""
    from pelican import Pelican

    from ocop.settings import read_site
    from ocop_catalogue.generator import CatalogueGenerator
    from ocop_catalogue.pelican_defaults import pelican_settings

    tmp = tmp_path_factory.mktemp("render")
    overrides = {"OCOP_BUILD_DATE": BUILD_DATE, "OCOP_CACHE_PATH": str(tmp / ".cache")}
    site = read_site(PROJECT, overrides=overrides)
    settings = pelican_settings(site, {"OUTPUT_PATH": str(tmp / "output"), **overrides})
    here = os.getcwd()
    os.chdir(PROJECT)  # Pelican reads content paths relative to the site folder
    try:
        pelican = Pelican(settings)
        context = pelican.settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl="")
        made = [
            cls(context=context, settings=pelican.settings, path=pelican.path, theme=pelican.theme, output_path=out)
            for cls in pelican._get_generator_classes()
            for out in [pelican.output_path]
        ]
        for g in made:
            if hasattr(g, "generate_context"):
                g.generate_context()
    finally:
        os.chdir(here)
    gen = next(g for g in made if isinstance(g, CatalogueGenerator))
    gen._render_photos()
    return gen


def test_every_catalogue_page_is_what_the_writer_way_renders(generator):
    """Each planned page of the sample site, rendered by the generator, against the way Pelican's writer renders
    it: the whole build context copied, Jinja's gettext, no message compiled in."""
    from ocop_catalogue import i18n
    from ocop_catalogue.generator import relative_root

    generator._render(generator.pages)
    envs = {lang: _writer_way(generator.env, i18n.catalog(lang, generator.translations_dir)) for lang in ("vi", "en")}
    templates = {"product.html", "listing.html", "district.html", "home.html", "browse.html", "404.html"}
    assert templates <= {page.template for page in generator.pages}
    for page in generator.pages:
        local = generator.context.copy()
        local.update(
            output_file=page.output_file,
            url=page.url,
            lang=page.lang,
            page_urls=page.urls,
            images=generator.site.renditions,
            **page.context,
        )
        if generator.settings["RELATIVE_URLS"]:
            local["SITEURL"] = local["localsiteurl"] = "" if page.root_relative else relative_root(page.output_file)
        expected = envs[page.lang].get_template(page.template).render(local)
        written = (Path(generator.output_path) / page.output_file).read_bytes()
        assert written == expected.encode(), page.output_file


def _sanitised(html: str) -> str:
    import nh3

    from ocop_catalogue import filters

    return nh3.clean(
        html,
        tags=filters._ALLOWED,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    )


def _markdown(text: str) -> str:
    from ocop_catalogue import filters

    return filters._md.reset().convert(text)


def test_plain_paragraphs_are_written_as_markdown_writes_them(catalogue):
    """Descriptions in plain paragraphs skip Python-Markdown; the HTML is the same, for every text of the
    sample records and for random texts mixing words with Markdown's syntax."""
    import random

    from ocop_catalogue.filters import _plain_html, _render_md

    texts = [t.get(lang) for p in catalogue.products for t in (p.description, p.story) if t for lang in ("vi", "en")]
    taken = [t for t in texts if _plain_html(t) is not None]
    assert len(taken) > len(texts) / 3  # the sample's descriptions are mostly plain paragraphs
    for text in texts:
        assert _plain_html(text) in (None, _markdown(text))
    pieces = list("ab Đđ.,;:?!()'\"%–…\n\n  *-_#>+=1`[]<>&\\|~\t\xa0\u2028\x02\u200b\ufeff\xad\x85\u3000\U0001f600") + [
        "Gạo",
        "- ",
        "1. ",
        "# ",
        "> ",
        "    ",
        "  \n",
        "\n\n",
        "==",
        "---",
        "**",
        "**Bold.**",
        "<b>x</b>",
        "[a](b)",
        "a_b",
    ]
    rnd = random.Random(11)
    checked = 0
    for _ in range(30000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        fast = _plain_html(text)
        if fast is not None:
            checked += 1
            assert fast == _markdown(text), repr(text)
            assert _render_md(text) == _sanitised(fast), repr(text)  # taken as it is only when nh3 would keep it
    assert checked > 1000


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "Gạo sạch.\nTừ Đức Linh.\n\n**Không pha đường.**\n",
            "<p>Gạo sạch.\nTừ Đức Linh.</p>\n<p><strong>Không pha đường.</strong></p>",
        ),
        ("- một\n- hai", "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>"),
        ("Xem <script>alert(1)</script> & <b>đây</b>", "<p>Xem  &amp; <b>đây</b></p>"),
        ("# Tiêu đề", "<h3>Tiêu đề</h3>"),
    ],
)
def test_md_filter(text, html):
    """Plain paragraphs by the short way, the rest through Markdown; either way sanitised."""
    from ocop_catalogue.filters import _render_md

    _render_md.cache_clear()
    assert _render_md(text) == html


def test_shared_parts_are_rendered_once_per_key_and_read_the_same_everywhere(tmp_path):
    """{% shared %}: the catalogue's environments render a part once for each set of keys; Pelican's and the
    other plugins' environments render it every time; the page reads the same either way."""
    from ocop_catalogue.rendering import lang_environment

    calls = []

    def counted(x):
        calls.append(x)
        return f"<{x}>"

    templates = {
        "t.html": '{% shared "nav", lang, depth %}[{{ counted(depth) }}|{{ _("Home") }}]{% endshared %}{{ page }}'
    }
    parent = _environment(templates)
    parent.globals["counted"] = counted
    folded = lang_environment(parent, "vi", Catalog({"Home": "Trang chủ"}))
    pages = [{"lang": "vi", "depth": d, "page": n} for n, d in enumerate(["..", "..", "../..", ".."])]
    rendered = [folded.get_template("t.html").render(p) for p in pages]
    assert rendered == [
        "[&lt;..&gt;|Trang chủ]0",
        "[&lt;..&gt;|Trang chủ]1",
        "[&lt;../..&gt;|Trang chủ]2",
        "[&lt;..&gt;|Trang chủ]3",
    ]
    assert calls == ["..", "../.."]
    writer_way = _writer_way(parent, Catalog({"Home": "Trang chủ"}))
    assert [writer_way.get_template("t.html").render(p) for p in pages] == rendered
    assert len(calls) == 2 + 4


def test_calls_and_escaping_are_jinjas_own():
    """The catalogue's environments call plain functions directly and write escaped text without a Markup per
    value; what every kind of callable and value gives is what Jinja's own way gives."""
    from jinja2 import pass_context, pass_environment, pass_eval_context
    from markupsafe import Markup, escape

    from ocop_catalogue.rendering import lang_environment, write_escaped

    class Thing:
        def __init__(self, x):
            self.x = x

        def shout(self, suffix=""):
            return f"<{self.x}>{suffix}"

        def __str__(self):
            return f"T&{self.x}"

    @pass_context
    def who(ctx, x):
        return f"{ctx['lang']}:{x}"

    @pass_environment
    def env_name(env, x):
        return f"{type(env).__name__}&{x}"

    @pass_eval_context
    def auto(eval_ctx, x):
        return f"{eval_ctx.autoescape}{x}"

    def stop():
        raise StopIteration

    source = (
        "{{ who(1) }}|{{ env_name(2) }}|{{ auto(3) }}|{{ t.shout('&') }}|{{ d.get('k') }}|{{ len(items) }}"
        "|{{ Thing(4) }}|{{ stop() }}|{% for i in items %}{{ who(i) }}{{ t.shout(i) }}{% endfor %}"
        "|{{ m }}|{{ 5 }}|{{ none }}|{{ '<b>' }}|{% set s %}{{ '<i>' }}{% endset %}{{ s }}"
        "|{% macro k(v) %}[{{ v }}]{% endmacro %}{{ k('<u>') }}"
    )
    parent = _environment({"t.html": source})
    page = {
        "lang": "vi", "who": who, "env_name": env_name, "auto": auto, "t": Thing("a&b"), "d": {"k": "<v>"},
        "len": len, "items": ["x<", "y"], "Thing": Thing, "stop": stop, "m": Markup("<em>ok</em>"), "none": None,
    }  # fmt: skip
    words = Catalog({})
    ours = lang_environment(parent, "vi", words).get_template("t.html").render(page)
    assert ours == _writer_way(parent, words).get_template("t.html").render(page)
    assert ours.startswith("vi:1|Environment&amp;2|True3|&lt;a&amp;b&gt;&amp;|&lt;v&gt;|2|T&amp;4||vi:x&lt;")
    for value in ["a<b>&'\"", Markup("<b>"), 5, None, Thing("<")]:
        assert write_escaped(value) == escape(value)
