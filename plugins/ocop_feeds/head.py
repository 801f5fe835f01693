"""Jinja global for product pages: schema.org JSON-LD and Open Graph / Twitter card tags."""

from __future__ import annotations

from markupsafe import Markup

from ocop import urls
from ocop.feeds.jsonld import product_jsonld, script_json, social_tags
from ocop.images import Rendition

OG_WIDTH = 1200  # Facebook and Zalo show large cards from 1200 px wide photos


def image_urls(product_id: str, renditions: list[Rendition], root: str) -> list[tuple[str, int, int]]:
    """Absolute URL, width and height of the largest JPEG of each photo, best first."""
    out = []
    for r in renditions or ():
        v = r.pick("jpg", OG_WIDTH)
        out.append((f"{root}/{urls.product_media(product_id)}{v.name}", v.width, v.height))
    return out


def product_head(product, lang: str, renditions: list[Rendition], canonical: str, site_name: str) -> dict:
    root = canonical.rstrip("/")
    pics = image_urls(product.id, renditions, root)
    data = product_jsonld(product, lang, root, [u for u, _, _ in pics])
    return {
        "jsonld": Markup(script_json(data)),
        "tags": social_tags(product, lang, root, site_name, pics[0] if pics else None),
    }


GLOBALS = {"ocop_product_head": product_head}
