"""schema.org structured data and social-card tags for a product page.

The JSON-LD `Product` carries its `Offer` and its OCOP certificate as `hasCertification` →
`Certification` (certificationIdentification = decision, certificationRating = stars out of 5,
issuedBy, validFrom, expires, certificationStatus). `script_json` serialises it so that no text
in a record can close the `<script>` element early.

What is said, and why:
- A tourism product (group VI: community tourism, eco-tourism, tourist sites) is a `Service`
  given by its producer, not a `Product`: it is not goods, and it has no sku, gtin or maker.
- Only a product the catalogue lists (certificate valid or expiring) has an `Offer`: an expired
  or revoked product is no longer sold as OCOP, as every feed already says by leaving it out.
- A product without a reference price has no `Offer` and claims no price. Google's product
  snippet then does not show it (it needs offers, a review or a rating; the catalogue has no
  reviews and invents none); the Product and its Certification remain valid schema.org.
- Names are cleaned like the feeds' (`plain`): no markup, no tabs, line breaks or direction marks.
"""

from __future__ import annotations

import json

from .. import urls
from ..i18n import LANGS, N_
from ..model import Product, Text
from . import words
from .clean import plain

_STATUS = {
    "active": "CertificationActive",
    "expiring": "CertificationActive",
    "expired": "CertificationInactive",
    "revoked": "CertificationInactive",
}
OG_LOCALE = {"vi": "vi_VN", "en": "en_GB"}
SOCIAL_IMAGE_SIZE = (1200, 630)  # the default social image (OCOP_DEFAULT_SOCIAL_IMAGE), as Facebook asks
DEFAULT_IMAGE_ALT = N_("OCOP products")  # what the default social image shows


def default_image_alt(lang: str) -> str:
    return words.say(DEFAULT_IMAGE_ALT, lang)


def name(text: Text, lang: str) -> str:
    """A name in `lang` as every machine reader gets it: plain text on one line."""
    return plain(text.get(lang))


def _offer(p: Product, page: str) -> dict | None:
    """The Offer of a product the catalogue lists with a price; None otherwise (nothing claimed)."""
    o = p.offer
    if o is None or not p.status.listed:
        return None
    return {
        "@type": "Offer",
        "url": page,
        "price": o.price,
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock" if o.available else "https://schema.org/OutOfStock",
        "itemCondition": "https://schema.org/NewCondition",
    }


def _certification(p: Product, lang: str) -> dict:
    c = p.current
    return {
        "@type": "Certification",
        "name": f"OCOP {words.stars(c.stars, lang)}",
        "certificationIdentification": plain(c.decision),
        "certificationRating": {"@type": "Rating", "ratingValue": c.stars, "bestRating": 5, "worstRating": 1},
        "issuedBy": {"@type": "Organization", "name": plain(c.issuer)},
        "validFrom": c.date.isoformat(),
        "expires": c.expires.isoformat(),
        "certificationStatus": f"https://schema.org/{_STATUS[p.status.value]}",
    }


def product_jsonld(p: Product, lang: str, root: str, images: list[str]) -> dict:
    """The schema.org Product (a Service for tourism) of one product page (root: absolute site address, no
    trailing slash; images: its photos, or the site's default image)."""
    page = f"{root}/{urls.product(p, lang)}"
    producer: dict = {
        "@type": "Organization",
        "name": plain(p.producer.name),
        "address": {
            "@type": "PostalAddress",
            # Today's map: the current commune (when the record lets us know it) and province; without
            # a commune, the former district, which is how people still name the place.
            "addressLocality": p.place.commune.full_name if p.place and p.place.commune else p.district.name,
            "addressRegion": p.current_province.name,
            "addressCountry": "VN",
        },
    }
    if p.producer.address:
        producer["address"]["streetAddress"] = plain(p.producer.address)
    if p.producer.website:
        producer["url"] = p.producer.website
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product" if p.group.goods else "Service",
        "@id": page + "#product",
        "url": page,
        "name": name(p.name, lang),
        "category": p.group.label(lang) + (f" > {p.product_set.label(lang)}" if p.product_set else ""),
        "brand": {"@type": "Brand", "name": plain(p.producer.name)},
    }
    if p.group.goods:
        data.update(sku=p.id, manufacturer=producer, countryOfOrigin={"@type": "Country", "name": "VN"})
    else:
        data.update(identifier=p.id, provider=producer, serviceType=p.group.label(lang), areaServed=producer["address"])
    description = p.summary.get(lang) if p.summary else (p.description.get(lang) if p.description else None)
    if description:
        data["description"] = plain(description, markdown_source=p.summary is None)
    if images:
        data["image"] = images
    data["hasCertification"] = _certification(p, lang)
    offer = _offer(p, page)
    if offer:
        data["offers"] = offer
    if p.offer and p.offer.gtin and p.group.goods:  # the barcode identifies the goods, sold or not
        data["gtin"] = p.offer.gtin
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


def image_tags(image: tuple[str, int, int] | None, alt: str) -> list[tuple[str, str, str]]:
    """og:image with its size and alt text, and the Twitter card that shows it (every page with an image has
    twitter:image:alt, for screen readers in the apps that show the card)."""
    if not image:
        return [("name", "twitter:card", "summary")]
    url, width, height = image
    return [
        ("property", "og:image", url),
        ("property", "og:image:width", str(width)),
        ("property", "og:image:height", str(height)),
        ("property", "og:image:alt", alt),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:image", url),
        ("name", "twitter:image:alt", alt),
    ]


def social_tags(
    p: Product,
    lang: str,
    root: str,
    site_name: str,
    image: tuple[str, int, int] | None,
    image_alt: str | None = None,
) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as (attribute, name, content): name, photo and stars (image_alt: when
    the image is not the product's own photo, what it shows)."""
    other = next(twin for twin in LANGS if twin != lang)
    title = f"{name(p.name, lang)} · OCOP {'★' * p.stars} ({words.stars(p.stars, lang)})"
    summary = plain(p.summary.get(lang)) if p.summary else name(p.name, lang)
    description = f"{summary} · {plain(p.producer.name)}, {p.district.name}"
    tags = [
        ("property", "og:type", "product"),
        ("property", "og:site_name", plain(site_name)),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", f"{root}/{urls.product(p, lang)}"),
        ("property", "og:locale", OG_LOCALE[lang]),
        ("property", "og:locale:alternate", OG_LOCALE[other]),
    ]
    if p.offer and p.status.listed:
        tags += [
            ("property", "product:price:amount", str(p.offer.price)),
            ("property", "product:price:currency", "VND"),
        ]
    tags += image_tags(image, image_alt or name(p.name, lang))
    tags += [("name", "twitter:title", title), ("name", "twitter:description", description)]
    return tags
