"""Certification news as Atom feeds, one per language.

Every new certificate, re-rating (e.g. 3★ → 4★), renewal, expiry and revocation in the
records is an entry, newest first. Entry ids are tag: URIs made of the product id, the
kind of event and its date, so an event keeps its id from build to build and subscribers
never see it twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from feedgen.feed import FeedGenerator

from .. import urls
from ..catalogue import Catalogue
from ..certificates import Certificate
from ..model import Product
from . import labels
from .clean import plain
from .context import FeedContext, Field, day_start

KINDS = ("certified", "upgraded", "downgraded", "renewed", "expired", "revoked")


@dataclass(frozen=True)
class Event:
    kind: str
    day: date
    product: Product
    certificate: Certificate
    previous: Certificate | None = None

    def tag(self, ctx: FeedContext, lang: str) -> str:
        """Stable entry id (RFC 4151 tag URI)."""
        return f"tag:{ctx.host},{self.certificate.date.isoformat()}:ocop/{self.product.id}/{self.kind}/{self.day.isoformat()}/{lang}"


def events(cat: Catalogue) -> list[Event]:
    """Everything that happened to the certificates up to the build date, newest first."""
    found: list[Event] = []
    on = cat.build_date
    for p in cat.products:
        certs = p.certificates
        for i, c in enumerate(certs):
            prev = certs[i - 1] if i else None
            if c.date <= on:
                kind = ("certified" if prev is None else "upgraded" if c.stars > prev.stars
                        else "downgraded" if c.stars < prev.stars else "renewed")
                found.append(Event(kind, c.date, p, c, prev))
            following = certs[i + 1] if i + 1 < len(certs) else None
            if c.revoked and c.revoked <= on:
                found.append(Event("revoked", c.revoked, p, c))
            elif c.expires < on and (following is None or c.expires < following.date):
                found.append(Event("expired", c.expires, p, c))
    found.sort(key=lambda e: (-e.day.toordinal(), e.product.id, KINDS.index(e.kind)))
    return found


def _words(e: Event, lang: str) -> tuple[str, str]:
    title, summary = labels.NEWS[lang][e.kind]
    c, p = e.certificate, e.product
    values = {
        "name": plain(p.name.get(lang)), "stars": labels.star_level(c.stars, lang),
        "previous": labels.star_level(e.previous.stars, lang) if e.previous else "",
        "decision": plain(c.decision), "date": e.day.strftime("%d/%m/%Y") if lang == "vi" else e.day.isoformat(),
        "issuer": plain(c.issuer), "producer": plain(p.producer.name),
        "district": f"{p.district.name}, {p.district.province.name}",
    }
    if e.kind in ("certified", "upgraded", "downgraded", "renewed"):
        values["date"] = c.date.strftime("%d/%m/%Y") if lang == "vi" else c.date.isoformat()
    return title.format(**values), summary.format(**values)


def atom(all_events: list[Event], lang: str, ctx: FeedContext, self_url: str, home_url: str) -> bytes:
    shown = all_events[: ctx.news_limit]
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(labels.FEED_TITLES["news"][lang].format(site=ctx.site_name))
    fg.subtitle(labels.FEED_SUBTITLES["news"][lang])
    fg.author({"name": ctx.site_name, "uri": home_url})
    fg.link(href=self_url, rel="self", type="application/atom+xml")
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
        fe.category(term=e.kind, scheme=ctx.url("feeds/"), label=e.kind)
        fe.published(day_start(e.day))
        fe.updated(day_start(e.day))
    return fg.atom_str(pretty=True)


FIELDS: tuple[Field, ...] = (
    Field("id", "Mã cố định của tin (tag: URI), không đổi giữa các lần dựng trang.", "Permanent id of the entry (a tag: URI), the same in every build."),
    Field("title", "Tiêu đề: sản phẩm và sự kiện.", "Headline: the product and what happened."),
    Field("summary", "Quyết định, ngày, cơ quan công nhận, chủ thể và địa phương.", "Decision, date, certifying body, producer and district."),
    Field("link", "Trang sản phẩm.", "The product page."),
    Field("category", "Loại sự kiện: certified (công nhận mới), upgraded (nâng hạng), downgraded (hạ hạng), renewed (công nhận lại), expired (hết hạn), revoked (thu hồi).",
          "Kind of event: certified, upgraded, downgraded, renewed, expired, revoked."),
    Field("published, updated", "Ngày của sự kiện.", "Date of the event."),
)
