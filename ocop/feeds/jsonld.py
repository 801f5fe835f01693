"""schema.org structured data and social-card tags for a product page.

The JSON-LD `Product` carries its `Offer` and its OCOP certificate as `hasCertification` →
`Certification` (certificationIdentification = decision, certificationRating = stars out of 5,
issuedBy, validFrom, expires, certificationStatus). `script_json` serialises it so that no text
in a record can close the `<script>` element early.
"""

from __future__ import annotations

import json

from .. import urls
from ..i18n import LANGS
from ..model import Product
from . import words
from .clean import plain
from .clean import strip_controls as sc

_STATUS = {
    "active": "CertificationActive",
    "expiring": "CertificationActive",
    "expired": "CertificationInactive",
    "revoked": "CertificationInactive",
}
_OG_LOCALE = {"vi": "vi_VN", "en": "en_GB"}


def product_jsonld(p: Product, lang: str, root: str, images: list[str]) -> dict:
    """The schema.org Product of one product page (root: absolute site address, no trailing slash)."""
    c = p.current
    page = f"{root}/{urls.product(p, lang)}"
    producer: dict = {
        "@type": "Organization",
        "name": sc(p.producer.name),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": p.district.name,
            "addressRegion": p.province.name,
            "addressCountry": "VN",
        },
    }
    if p.producer.address:
        producer["address"]["streetAddress"] = sc(p.producer.address)
    if p.producer.website:
        producer["url"] = p.producer.website
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": page + "#product",
        "url": page,
        "sku": p.id,
        "name": sc(p.name.get(lang)),
        "inLanguage": lang,
        "category": p.group.label(lang) + (f" > {p.product_set.label(lang)}" if p.product_set else ""),
        "brand": {"@type": "Brand", "name": sc(p.producer.name)},
        "manufacturer": producer,
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    description = p.summary.get(lang) if p.summary else (p.description.get(lang) if p.description else None)
    if description:
        data["description"] = plain(description, markdown_source=p.summary is None)
    if images:
        data["image"] = images
    data["hasCertification"] = {
        "@type": "Certification",
        "name": f"OCOP {words.stars(c.stars, lang)}",
        "certificationIdentification": sc(c.decision),
        "certificationRating": {"@type": "Rating", "ratingValue": c.stars, "bestRating": 5, "worstRating": 1},
        "issuedBy": {"@type": "Organization", "name": sc(c.issuer)},
        "validFrom": c.date.isoformat(),
        "expires": c.expires.isoformat(),
        "certificationStatus": f"https://schema.org/{_STATUS[p.status.value]}",
    }
    if p.offer:
        o = p.offer
        data["offers"] = {
            "@type": "Offer",
            "url": page,
            "price": o.price,
            "priceCurrency": "VND",
            "availability": "https://schema.org/InStock" if o.available else "https://schema.org/OutOfStock",
            "itemCondition": "https://schema.org/NewCondition",
        }
        if o.gtin:
            data["gtin"] = o.gtin
    return data


def script_json(data: dict) -> str:
    """JSON for inside <script type="application/ld+json">: <, > and & escaped as \\u003c etc.

    JSON parsers read the escapes back as the same characters, while the HTML parser never
    sees a '</script>' or '<!--' in the text.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def social_tags(
    p: Product, lang: str, root: str, site_name: str, image: tuple[str, int, int] | None
) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as (attribute, name, content): name, photo and stars."""
    other = next(twin for twin in LANGS if twin != lang)
    title = f"{plain(p.name.get(lang))} · OCOP {'★' * p.stars} ({words.stars(p.stars, lang)})"
    summary = plain(p.summary.get(lang)) if p.summary else plain(p.name.get(lang))
    description = f"{summary} · {plain(p.producer.name)}, {p.district.name}"
    tags = [
        ("property", "og:type", "product"),
        ("property", "og:site_name", plain(site_name)),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", f"{root}/{urls.product(p, lang)}"),
        ("property", "og:locale", _OG_LOCALE[lang]),
        ("property", "og:locale:alternate", _OG_LOCALE[other]),
    ]
    if image:
        url, width, height = image
        tags += [
            ("property", "og:image", url),
            ("property", "og:image:width", str(width)),
            ("property", "og:image:height", str(height)),
            ("property", "og:image:alt", plain(p.name.get(lang))),
        ]
    if p.offer:
        tags += [
            ("property", "product:price:amount", str(p.offer.price)),
            ("property", "product:price:currency", "VND"),
        ]
    tags += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags.append(("name", "twitter:image", image[0]))
    return tags
