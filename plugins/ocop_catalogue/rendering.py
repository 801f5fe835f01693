"""Rendering catalogue pages cheaply: one Jinja environment per language with its words compiled in, a small
page context, and files written without pathlib.

Measured at 2,000 products (4,300 pages, one process): most of a page's cost was Jinja's per-call machinery
(`Context.call` for every `_()`, a copy of Pelican's ~170-key context for every page and every include) rather
than the page's own work. What is here keeps every page byte for byte what Pelican's writer made.
"""

from __future__ import annotations

import gettext
import hashlib
import os
from collections.abc import Callable, Iterable
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, meta, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer
from markupsafe import _escape_inner, escape  # _escape_inner: what escape() does to a str, without the Markup

from ocop.settings import DEFAULTS

from . import i18n

# The gettext names a template calls (`_()` in expressions, `gettext` in {% trans %} blocks): with one
# literal argument and no variables, the call's result is known once the language is.
_GETTEXT_NAMES = ("_", "gettext")


class _Folder(NodeTransformer):
    """Replaces `_("literal")` by its translation, marked safe as the newstyle gettext marks it."""

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self.translations = translations

    def visit_Call(self, call: nodes.Call) -> nodes.Node:
        node = self.generic_visit(call)
        if not (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in _GETTEXT_NAMES
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and not (node.kwargs or node.dyn_args or node.dyn_kwargs)
        ):
            return node
        try:
            # What jinja2.ext's newstyle gettext does at run time: the message is a format string even
            # without variables ("%%" gives "%").
            text = self.translations.gettext(node.args[0].value) % {}
        except (KeyError, TypeError, ValueError):
            return node  # a broken translation fails at run time, with Jinja's own error, as before
        return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)


class _FoldingCodeGenerator(CodeGenerator):
    """Compiles a template with its language's constant messages folded in: each becomes template data,
    escaped once at compile time, instead of a gettext call (Context.call, Markup, `%`) on every page.

    And what a template writes out (`{{ … }}`) is escaped by `write_escaped`, not markupsafe.escape: a product
    page writes ~140 values, and wrapping each in a Markup that is only ever joined into the page cost ~15% of it.
    """

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        translations = getattr(self.environment, "ocop_translations", None)
        if translations is not None:
            node = _Folder(translations).visit(node)
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.ocop_write_escaped(")  # set by lang_environment
        if finalize.src is not None:
            self.write(finalize.src)


class _Context(Context):
    """Jinja's Context, whose `call` goes straight to a plain function or method.

    Templates call functions ~40 times a page (`urls.product(p, lang)`, `p.name.get(lang)`); Jinja's call
    looks for `jinja_pass_arg` on the callable and on its `__call__` through two helper calls each time. A
    function or method has the attribute itself if it takes the context; built-in ones cannot have it.
    Anything else (macros, classes, callable objects) takes Jinja's own way."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805  (Jinja's own signature)
        kind = type(__obj)
        if kind is not BuiltinFunctionType and (
            (kind is not FunctionType and kind is not MethodType) or hasattr(__obj, "jinja_pass_arg")
        ):
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # Jinja passes these to every call inside a loop or a block, for functions taking the context
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def write_escaped(value: Any) -> str:
    """markupsafe.escape for a value a template writes out: the same text, but a plain str as it is given one.

    Every piece written out goes into the page (or a macro's, a block's or an include's output, which Jinja
    marks safe whole), where nothing reads whether it was a Markup; a str needs no Markup made for it."""
    if type(value) is str:
        return _escape_inner(value)
    return escape(value)


def catalog_digest(translations: gettext.NullTranslations) -> str:
    """A short digest of a catalog's messages: compiled templates hold translations, so they are cached per
    catalog (a translator's edit must show in the preview, whose template files did not change)."""
    messages = getattr(translations, "_catalog", {})
    h = hashlib.sha1()
    for key, text in sorted(messages.items(), key=repr):
        h.update(repr((key, text)).encode())
    return h.hexdigest()[:16]


_CODE = "w1"  # the version of what _FoldingCodeGenerator writes, in the names of compiled templates it cached


def lang_environment(parent: Environment, lang: str, translations: gettext.NullTranslations) -> Environment:
    """An environment bound to one language, whose templates are compiled with its words in them.

    Its own template cache (an overlay would copy the parent's, compiled without the words) and no
    freshness check per use: a build compiles each template once and the preview makes new environments
    for each build. Compiled code goes to the parent's bytecode cache folder, under a name that says the
    language and the catalog.
    """
    env = parent.overlay(cache_size=400, auto_reload=False)
    env.globals = dict(parent.globals)  # an overlay shares its parent's globals dict
    i18n.bind(env, translations)
    env.ocop_translations = translations  # type: ignore[attr-defined]  # read by _FoldingCodeGenerator
    env.code_generator_class = _FoldingCodeGenerator
    env.ocop_write_escaped = write_escaped  # type: ignore[attr-defined]  # called by the compiled templates
    env.context_class = _Context
    env.ocop_shared = {}  # type: ignore[attr-defined]  # read by fragments.SharedFragments: this build's parts
    cache = parent.bytecode_cache
    if isinstance(cache, FileSystemBytecodeCache):
        env.bytecode_cache = FileSystemBytecodeCache(
            cache.directory, f"__jinja2_{lang}_{catalog_digest(translations)}_{_CODE}_%s.cache"
        )
    return env


def names_read(env: Environment, templates: Iterable[str]) -> set[str]:
    """Every variable the templates (and those they extend, include or import) read from their context."""
    seen: set[str] = set()
    names: set[str] = set()
    todo = list(templates)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        assert env.loader is not None  # Pelican's environments load the theme's templates
        read, referenced = _names_of(env, name, env.loader.get_source(env, name)[0])
        names |= read
        todo += referenced
    return names


# (template name, source) → what _names_of found: the preview builds again in the same process, a few pages at a
# time, and parsing every catalogue template again would cost more than rendering them.
_NAMES: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]] = {}


def _names_of(env: Environment, name: str, source: str) -> tuple[frozenset[str], tuple[str, ...]]:
    key = (name, source)
    if key not in _NAMES:
        ast = env.parse(source, name)
        _NAMES[key] = (
            frozenset(meta.find_undeclared_variables(ast)),
            tuple(t for t in meta.find_referenced_templates(ast) if t),
        )
    return _NAMES[key]


def page_base(context: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The part of the build's context a catalogue page can see: what its templates read, what functions called
    with the context read (content_url reads `pages`; settings are read through ocop.settings.value, so
    the catalogue's declared settings), and nothing else (Jinja copies a page's context for each include)."""
    wanted = names | {"pages"} | set(DEFAULTS)
    return {key: context[key] for key in wanted if key in context}


class FileWriter:
    """Writes pages under one output folder, making each folder once.

    `compress` (SiteBuild.compress): the siblings of each file are written with it, from the bytes at hand,
    and its name is kept in `compressed`."""

    def __init__(self, root: str, compress: Callable[[str, bytes], Iterable[tuple[str, bytes]]] | None = None) -> None:
        self.root = root
        self.made: set[str] = set()
        self.compress = compress
        self.compressed: list[str] = []

    def write(self, name: str, text: str) -> None:
        self.write_bytes(name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> None:
        path = os.path.join(self.root, name)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        with open(path, "wb") as f:
            f.write(data)
        if self.compress is None:
            return
        made = False
        for suffix, body in self.compress(name, data):
            with open(path + suffix, "wb") as f:
                f.write(body)
            made = True
        if made:
            self.compressed.append(name)
