"""Certification news as Atom feeds, one per language.

Every new certificate, re-rating (e.g. 3★ → 4★), renewal, expiry and revocation in the
records is an entry, newest first. Entry ids are tag: URIs made of the product id, the
kind of event and its date, so an event keeps its id from build to build and subscribers
never see it twice. An event feed: its entries are not rows of columns, so its format lists
the Atom elements it writes for the documentation only.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date

from feedgen.feed import FeedGenerator

from .. import certifiers, urls
from ..catalogue import Catalogue
from ..certificates import Certificate, change_kind, in_force
from ..i18n import DEFAULT_LANG, N_
from ..model import Product
from . import words
from .clean import plain
from .context import FeedContext, day_start
from .format import Column, Feed, Format, Run, Section, Source
from .writers import channel_words

KINDS = ("certified", "upgraded", "downgraded", "renewed", "expired", "revoked")
_CERTIFYING = frozenset(("certified", "upgraded", "downgraded", "renewed"))  # dated by their decision

# Title and summary of each kind of event
NEWS = {
    "certified": (
        N_("{name} certified as a {stars} OCOP product"),
        N_(
            "Decision {decision} of {date} by {issuer} certifies {name} ({producer}, {district}) as a "
            "{stars} OCOP product."
        ),
    ),
    "upgraded": (
        N_("{name} upgraded to a {stars} OCOP product"),
        N_(
            "Decision {decision} of {date} by {issuer} re-rates {name} ({producer}, {district}) from "
            "{previous} to {stars}."
        ),
    ),
    "downgraded": (
        N_("{name} re-rated as a {stars} OCOP product"),
        N_(
            "Decision {decision} of {date} by {issuer} re-rates {name} ({producer}, {district}) as a "
            "{stars} OCOP product (previously {previous})."
        ),
    ),
    "renewed": (
        N_("{name} re-certified as a {stars} OCOP product"),
        N_(
            "Decision {decision} of {date} by {issuer} re-certifies {name} ({producer}, {district}) as a "
            "{stars} OCOP product."
        ),
    ),
    "expired": (
        N_("OCOP certificate of {name} expired"),
        N_(
            "The {stars} OCOP certificate of {name} ({producer}, {district}), decision {decision}, expired on "
            "{date}; the product is due for re-evaluation."
        ),
    ),
    "revoked": (
        N_("OCOP certificate of {name} revoked"),
        N_(
            "The {stars} OCOP certificate of {name} ({producer}, {district}), decision {decision}, was revoked "
            "on {date}."
        ),
    ),
}
DATE_FORMAT = N_("%Y-%m-%d")  # translated: each language writes a day its own way


@dataclass(frozen=True)
class Event:
    kind: str
    day: date
    product: Product
    certificate: Certificate
    previous: Certificate | None = None

    def tag(self, ctx: FeedContext, lang: str) -> str:
        """Stable entry id (RFC 4151 tag URI)."""
        return (
            f"tag:{ctx.host},{self.certificate.date.isoformat()}:ocop/{self.product.id}/{self.kind}/"
            f"{self.day.isoformat()}/{lang}"
        )


def _product_events(p: Product, on: date) -> list[Event]:
    found: list[Event] = []
    certs = in_force(p.certificates, on)  # a certificate dated later is news on its day, not before
    for i, c in enumerate(certs):
        prev = certs[i - 1] if i else None
        found.append(Event(change_kind(prev.stars if prev else None, c.stars), c.date, p, c, prev))
        following = certs[i + 1] if i + 1 < len(certs) else None
        if c.revoked and c.revoked <= on:
            found.append(Event("revoked", c.revoked, p, c))
        elif c.expires < on and (following is None or c.expires < following.date):
            found.append(Event("expired", c.expires, p, c))
    return found


def _newest_first(e: Event) -> tuple:
    return (-e.day.toordinal(), e.product.id, KINDS.index(e.kind))


def events(cat: Catalogue, limit: int | None = None) -> list[Event]:
    """Everything that happened to the certificates up to the build date, newest first; the newest `limit` only
    (the feeds show no more: sorting 40,000 events to keep a few hundred cost half a second)."""
    found = [e for p in cat.products for e in _product_events(p, cat.build_date)]
    if limit is not None:
        return heapq.nsmallest(limit, found, key=_newest_first)  # the same as sorted(...)[:limit], ties too
    found.sort(key=_newest_first)
    return found


def issuer(text: str, lang: str) -> str:
    """The issuing body in the feed's language: English feeds name it in English when it can be read."""
    return (certifiers.english(text) or text) if lang == "en" else text


def _words(e: Event, lang: str) -> tuple[str, str]:
    title, summary = (words.say(text, lang) for text in NEWS[e.kind])
    c, p = e.certificate, e.product
    day = c.date if e.kind in _CERTIFYING else e.day
    values = {
        "name": plain(p.name.get(lang)),
        "stars": words.star_level(c.stars, lang),
        "previous": words.star_level(e.previous.stars, lang) if e.previous else "",
        "decision": plain(c.decision),
        "date": day.strftime(words.say(DATE_FORMAT, lang)),
        "issuer": plain(issuer(c.issuer, lang)),
        "producer": plain(p.producer.name),
        "district": f"{p.district.name}, {p.district.province.name}",
    }
    return title.format(**values), summary.format(**values)


def atom(feed: Feed, all_events: list[Event], run: Run) -> bytes:
    ctx, lang = run.ctx, feed.lang or DEFAULT_LANG
    self_url, home_url = ctx.url(feed.path), ctx.url(urls.home(lang))
    shown = all_events[: ctx.news_limit]
    title, subtitle = channel_words(feed, run)
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": ctx.site_name, "uri": home_url})
    fg.link(href=self_url, rel="self", type=feed.media_type)
    fg.link(href=home_url, rel="alternate", type="text/html", hreflang=lang)
    fg.language(lang)
    fg.updated(day_start(shown[0].day) if shown else ctx.build_datetime)
    for e in shown:
        title, summary = _words(e, lang)
        fe = fg.add_entry(order="append")
        fe.id(e.tag(ctx, lang))
        fe.title(title)
        fe.summary(summary)
        fe.link(href=ctx.url(urls.product(e.product, lang)), rel="alternate", type="text/html", hreflang=lang)
        fe.category(term=e.kind, scheme=ctx.url(urls.feed("")), label=e.kind)
        fe.published(day_start(e.day))
        fe.updated(day_start(e.day))
    return fg.atom_str(pretty=True)


SECTION = Section(
    "news",
    N_("Certification news"),
    N_(
        "Atom feeds, one per language: each new certificate, re-rating, renewal, expiry and revocation is an entry, "
        "newest first. Entry ids never change, so news readers show each event once."
    ),
)

ELEMENTS: tuple[Column, ...] = (  # written by `atom`; listed here for the documentation
    Column("id", None, N_("Permanent id of the entry (a tag: URI), the same in every build.")),
    Column("title", None, N_("Headline: the product and what happened.")),
    Column("summary", None, N_("Decision, date, certifying body, producer and district.")),
    Column("link", None, N_("The product page.")),
    Column("category", None, N_("Kind of event: certified, upgraded, downgraded, renewed, expired, revoked.")),
    Column("published, updated", None, N_("Date of the event.")),
)
EVENTS = Source(
    "certificate events", lambda run, lang: events(run.catalogue, run.ctx.news_limit), per_lang=False, cost=1
)

FORMATS: tuple[Format, ...] = (
    Format(
        "news",
        SECTION,
        {"vi": "news-vi.atom", "en": "news-en.atom"},
        "application/atom+xml",
        atom,
        EVENTS,
        ELEMENTS,
        title=N_("{site}: OCOP certification news"),
        subtitle=N_("New OCOP certificates, re-ratings, expiries and revocations."),
        alternate=True,
    ),
)
