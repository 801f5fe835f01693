"""The documentation of the feeds, made from the registry: the marketplaces page's contents and docs/feeds.md.

`page(lang)` is what the bilingual "For marketplaces" template shows (it only iterates);
`markdown()` is docs/feeds.md (`python -m ocop.feeds.docs > docs/feeds.md`; a test fails when the
file is out of step with the registry). The prose that is not about one column is the text
below; every table comes from the format declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import settings, urls
from ..i18n import LANGS, N_
from . import opendata
from .format import Feed, Format
from .registry import FORMATS, feed_list, sections
from .words import say, say_in


@dataclass(frozen=True)
class Table:
    """One format's field table: its file names and (field, meaning) rows."""

    names: list[str]
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class SectionPage:
    key: str
    heading: str
    about: str
    tables: list[Table]
    note: str = ""  # a line under the about text (the open data's licence)
    note_url: str | None = None


@dataclass(frozen=True)
class Page:
    """What the marketplaces page of one language shows, computed from the registry."""

    feeds: list[Feed]
    alternates: list[tuple[Feed, str]]  # (feed, title) announced with <link rel="alternate">
    sections: list[SectionPage]


def _names(f: Format, feeds: list[Feed]) -> list[str]:
    return [feed.name for feed in feeds if feed.format is f]


def _table(f: Format, feeds: list[Feed], lang: str) -> Table:
    return Table(_names(f, feeds), [(c.name, say_in(f.key, c.doc, lang)) for c in f.documented])


LICENSE_NOTE = N_("Data licence: {license}.")


def _note(key: str, lang: str, license: str | None) -> tuple[str, str | None]:
    if key != "opendata" or not license:
        return "", None
    return say(LICENSE_NOTE, lang).format(license=license), opendata.license_url(license)


def page(lang: str, formats: tuple[Format, ...] = FORMATS, license: str | None = None) -> Page:
    """What the marketplaces page shows in `lang` (license: the open data's, setting OCOP_OPEN_DATA_LICENSE)."""
    feeds = feed_list(formats)
    alternates = [
        (feed, say(feed.format.section.heading, lang)) for feed in feeds if feed.format.alternate and feed.lang == lang
    ]
    shown = [
        SectionPage(
            s.key,
            say(s.heading, lang),
            say(s.about, lang),
            [_table(f, feeds, lang) for f in members if f.documented],
            *_note(s.key, lang, license),
        )
        for s, members in sections(formats)
    ]
    return Page(feeds, alternates, shown)


# --- docs/feeds.md ------------------------------------------------------------------------------

_LANGUAGE = {None: "both", "vi": "Vietnamese", "en": "English"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _published(formats: tuple[Format, ...]) -> str:
    feeds = feed_list(formats)
    lines = ["| Address | Format | Language | Section |", "|---|---|---|---|"]
    for f in formats:
        mine = [feed for feed in feeds if feed.format is f]
        addresses = ", ".join(f"`/{feed.path}`" for feed in mine)
        langs = ", ".join(_LANGUAGE[feed.lang] for feed in mine)
        lines.append(f"| {addresses} | `{f.media_type}` | {langs} | {say(f.section.heading, 'en')} |")
    return "\n".join(lines)


def _format_doc(f: Format, feeds: list[Feed]) -> str:
    names = ", ".join(f"`{name}`" for name in _names(f, feeds))
    if not f.documented:
        return f"#### {names}\n\nNo field table: {_SCHEMA_NOTE if f.columns else 'a fixed file.'}\n"
    lines = [f"#### {names}", "", "| Field | Limit | Meaning | Nghĩa |", "|---|---|---|---|"]
    for c in f.documented:
        limit = c.limit.describe() if c.limit else ""
        meanings = " | ".join(_cell(say_in(f.key, c.doc, lang)) for lang in ("en", "vi"))
        lines.append(f"| `{_cell(c.name)}` | {limit} | {meanings} |")
    return "\n".join(lines) + "\n"


_SCHEMA_NOTE = "its JSON Schema (`ocop/schemas/opendata.schema.json`) documents every key."


def _sections(formats: tuple[Format, ...]) -> str:
    feeds = feed_list(formats)
    out = []
    for s, members in sections(formats):
        out.append(
            f"### {say(s.heading, 'en')}\n\n{say(s.about, 'en')}\n\n"
            + "\n".join(_format_doc(f, feeds) for f in members)
        )
    return "\n".join(out)


_FEED_SETTINGS = ("SITE_CANONICAL_URL", "OCOP_NEWS_LIMIT", "OCOP_SITEMAP_MAX_URLS", "OCOP_OPEN_DATA_LICENSE")


def _settings() -> str:
    lines = ["| Setting | Default | Meaning |", "|---|---|---|"]
    for s in settings.SETTINGS:
        if s.name in _FEED_SETTINGS:
            lines.append(f"| `{s.name}` | `{s.default!r}` | {_cell(s.doc)} |")
    return "\n".join(lines)


def markdown(formats: tuple[Format, ...] = FORMATS) -> str:
    pages = ", ".join(f"`/{urls.marketplaces(lang)}`" for lang in LANGS)
    return _TEXT.format(
        published=_published(formats),
        sections=_sections(formats),
        settings=_settings(),
        marketplaces=pages,
        langs=", ".join(LANGS),
    )


_TEXT = """\
<!-- Generated from the feed registry (ocop/feeds/registry.py) by `python -m ocop.feeds.docs > docs/feeds.md`.
     Edit the formats, or the text in ocop/feeds/docs.py, not this file. -->
# Feeds for marketplaces and machines

Every build publishes the catalogue in formats that marketplaces, search engines and news
readers already read, made from the same records as the pages. Nothing to run: `make site`
writes them. The bilingual page **For marketplaces** ({marketplaces},
linked from every page's footer) lists every address and documents every field, in both
languages ({langs}), from the same declarations the code writes the files with, so the page
cannot drift from the files; nor can this document, which is generated from them too.

All URLs in feeds, structured data and the sitemap are absolute, built from
`SITE_CANONICAL_URL` (the public address; `publishconf.py` sets `SITEURL` to the same value).
Set the office's real domain there before publishing: the Atom entry ids contain its host name.

## What is published

{published}
| `/sitemap.xml` (+ `/sitemap-N.xml`) | sitemaps.org | | every page with `xhtml:link` hreflang alternates |
| `/robots.txt` | text | | allows everything, points to the sitemap |

Product pages also carry schema.org JSON-LD and Open Graph / Twitter card tags (below).

## Formats and their fields

{sections}
## How the feeds are made

### Who is in the marketplace feeds

Google Merchant (RSS, TSV) and Meta feeds hold a product only if its current certificate is
**active or expiring**, its group is **goods** (tourism services are left out) and the record has
an **`offer:`** (price). A product that drops out is simply absent (Google removes it). The item
id is the record's `id`, which never changes. Items are in id order. The description is the
summary then the description, Markdown and HTML removed; photos are the largest JPEG rendition
(≤ 1200 px); the five `g:product_detail` (section `OCOP`) are stars, certificate decision
(number, date, issuer), valid until, district (province) and producer kind.

Since issue 12, what each consumer rejects is settled at build time:

- **No photo.** Google disapproves an item without an image and does not accept a placeholder
  or generic image, so the Google feeds (RSS, TSV) leave such a product out; Meta accepts an
  image that is not the product's, so the Meta feed gives it the site's default social image
  (`OCOP_DEFAULT_SOCIAL_IMAGE`). Either way the build warns: add a photo to the record.
- **No English name.** The English Google feeds and the Meta language feed leave the product
  out (Google disapproves a language mismatch; Meta then keeps the Vietnamese main item), with
  a warning. English items take only English summary and description; else their title.
- **Commas in `product_type`.** Google reads a comma as a separator between two product types:
  a comma inside a group or product-set name is written ` / ` (`Thực phẩm > Tương / nước mắm /
  gia vị dạng lỏng`), in every feed.
- **The TSV** is tab-separated text as Google reads it: no CSV quoting (a quote is a character),
  tabs and line breaks in a value become a space. In `product_detail` (`section:attribute:value`,
  comma-separated) a part holding a colon, comma or quote is in double quotes with quotes
  doubled, as in Google's own example (`Display:Diagonal Size:"2.5\"\"\"`).

### Open data

All products, including expired and revoked ones with their status; every certificate with its
own status at the build date; texts as written in the records (descriptions and stories are
Markdown; only characters no format can carry, the C0/C1 control characters, are removed). The
JSON has `schema_version`, `generated` (build date), `source`, `license` (setting
`OCOP_OPEN_DATA_LICENSE`, by default CC BY 4.0; shown on the marketplaces page too),
`license_url` (since 1.1.0), `count` and `products`, one product per line. The CSV starts with a
UTF-8 byte order mark (Excel in a Vietnamese locale otherwise reads it as Windows-1258) and its
columns are described by a Frictionless Table Schema, `ocop-products.csv.schema.json`, made from
the same column declarations. The showrooms' GeoJSON is written by the showrooms plugin; the
registry lists it (`written_by`) so that the marketplaces page and this document include it.
The schema is versioned: bump `SCHEMA_VERSION` in `ocop/feeds/opendata.py` and
`x-version` in the schema together; a new major version if a field changes meaning or disappears.

### Certification news (Atom)

One entry per event, newest first, at most `OCOP_NEWS_LIMIT` (200) entries: `certified` (first
certificate), `upgraded` / `downgraded` (re-rating, e.g. 3★ → 4★), `renewed` (same stars again),
`expired` (a certificate's expiry date passed before any newer one), `revoked`. Entry ids are
`tag:<host>,<certificate date>:ocop/<product id>/<event>/<event date>/<lang>`, so an event keeps
its id in every build. Timestamps are dates at 00:00 Vietnam time; the feed's `updated` is its
newest entry's date, so a rebuild with the same records writes the same bytes.

### Structured data in product pages

`theme/templates/product_head.html` (included in `product.html`'s `head` block) renders a
schema.org `Product` in JSON-LD: `sku` (id), `name`, `description`, `image`, `category`,
`brand` and `manufacturer` (the producer, with its district and province), `offers` → `Offer`
(`price`, `priceCurrency` VND, `availability` InStock/OutOfStock, `itemCondition`), `gtin`, and
`hasCertification` → `Certification` (`certificationIdentification` = decision,
`certificationRating` = stars out of 5, `issuedBy`, `validFrom`, `expires`,
`certificationStatus` CertificationActive for active/expiring, else CertificationInactive).
The JSON escapes `<`, `>` and `&` as `\\u003c`, `\\u003e`, `\\u0026`, so no record text can close
the `<script>` early. Open Graph (`og:title` with the stars as ★, `og:image` 1200 px JPEG,
`product:price:*`) and Twitter card tags make a shared link (Zalo, Facebook) show name, photo
and stars.

A tourism product is a `Service` (`identifier`, `provider`, `serviceType`, `areaServed`; no
`sku`, maker or barcode). Only a listed product (certificate active or expiring) with a price has
an `Offer`; an expired or revoked one, or one without a price, claims no price (Google's product
snippet then does not show it: it needs offers, a review or a rating, and the catalogue invents
none). A product without a photo has the default social image as `image` and `og:image`. Names
are cleaned like the feeds' (no markup, including markup written as entities, no tabs, line
breaks or direction marks). Every page with an image has `og:image:alt` and `twitter:image:alt`;
showroom pages have Open Graph and Twitter tags too, and their `Store` gives `telephone` in
international form (`+84 …`).

### Sitemap and robots.txt

Every HTML page the build writes (both languages, catalogue pages, content pages, other plugins'
pages) is listed with `xhtml:link rel="alternate"` for `vi`, `en` and `x-default` (the
Vietnamese page), reciprocal between twins. Past `OCOP_SITEMAP_MAX_URLS` (50,000) URLs,
`sitemap.xml` becomes a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, ... `404.html` and
pages whose `canonical` names another page are left out.

## Bad text in records

Text that would break a feed or get an item rejected is cleaned, and each change is a warning in
the build output naming the record file, line and field, e.g.

    products/phan-thiet/x.yaml:2: warning: field 'name.en': in the Google Merchant and Meta product feeds: \
it is 200 characters long but the Google Merchant and Meta product feeds take at most 150, so it was cut at a \
word boundary (the feed carries: '...')

Removed: control characters, HTML (including Word's `<o:p>`, `mso-` styles and conditional
comments; `<style>`/`<script>` contents go with their tags), Markdown markup, emoji. Cut at a
word boundary with `…`: the limits in the field tables above. `]]>` and `&` are kept as text:
the XML writer escapes them, so a feed is never malformed. Markup written as entities
(`&lt;b&gt;`) is decoded and removed too, never left as a tag; an unclosed `<!--` is dropped
without taking the text after it; direction controls (U+200E/F, U+202A–E, U+2066–9) are removed;
a removed character between two words leaves a space. A product with no photo gets a warning
too (see above).

## Settings (pelicanconf.py)

{settings}

## Code

- `ocop/feeds/format.py` — what a format declares: `Format` (files per language, media type,
  section, row source, writer, columns, rough cost), `Column` (name, value from a row, limit,
  English doc), `Limit`, `Section`, `Source` (rows several formats share, made once per run).
- `ocop/feeds/registry.py` — the list of formats; `feed_list()`, `sections()`, and `parts()`, the
  split of the feeds between two processes, from the declared costs.
- `ocop/feeds/merchant.py`, `meta.py`, `opendata.py`, `news.py` — one module per family of
  formats: their rows, columns and files. `writers.py` — the generic RSS (Google `g:`) and
  CSV/TSV writers. `words.py` — shared words through the `feeds` gettext domain (Vietnamese in
  `ocop/locale/vi/LC_MESSAGES/feeds.po`). `docs.py` — this document and the marketplaces page's
  contents. `clean.py` — text cleaning, cutting, warnings. `jsonld.py` — JSON-LD and social tags.
  `context.py` — `FeedContext`: absolute root, build date, photo URLs.
- `plugins/ocop_feeds/` — the Pelican adapter: `FeedsGenerator` writes `/feeds/` and the
  marketplaces page from the shared build object (`ocop_catalogue.site.of(context)`); `head.py`
  registers the Jinja global `ocop_product_head`.

### Adding a format or a field

- A new feed format (say a TikTok Shop CSV): one module in `ocop/feeds/` declaring its `Section`
  (or reusing one), its `Column`s and its `Format` (files, media type, writer, rows), added to
  `FORMATS` in `ocop/feeds/registry.py`; its Vietnamese words in `feeds.po`; then regenerate this
  file. The build, the two-process split and the marketplaces page follow.
- A new record field carried by a feed: one `Column` in the format's module (its Vietnamese
  doc in `feeds.po`); for the open-data JSON, one `Column` in `opendata.RECORD` and its property in
  the JSON Schema (the published contract).

Cost, measured in a full build of 20,000 synthetic products (`bench/synthetic.py`, both
languages, every plugin) on the shared 2-core machine: the feeds generator about 9 s (0.23 ms
per product per language; above 2,000 products the feeds are split between two forked
processes, with byte-identical results). What costs most: Google RSS through feedgen (~1.5 s
per language), cleaning texts (~1 s per language), open data (~2 s). Markdown is stripped by
pattern, not rendered (rendering cost 4 s at this size).
"""


def main() -> None:
    print(markdown(), end="")


if __name__ == "__main__":
    main()
