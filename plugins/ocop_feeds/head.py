"""Jinja globals for page heads: schema.org JSON-LD and Open Graph / Twitter card tags.

Product pages call `ocop_product_head`, showroom pages `ocop_showroom_tags`. A page without a
photo shows the site's default social image (setting OCOP_DEFAULT_SOCIAL_IMAGE), so that a
shared link still has a picture and the JSON-LD an `image`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from ocop import showrooms, urls
from ocop.feeds.jsonld import SOCIAL_IMAGE_SIZE, default_image_alt, product_jsonld, script_json, social_tags
from ocop.images import Rendition
from ocop.settings import value

OG_WIDTH = 1200  # Facebook and Zalo show large cards from 1200 px wide photos


def image_urls(product_id: str, renditions: list[Rendition], root: str) -> list[tuple[str, int, int]]:
    """Absolute URL, width and height of the largest JPEG of each photo, best first."""
    out = []
    for r in renditions or ():
        v = r.pick("jpg", OG_WIDTH)
        out.append((f"{root}/{urls.product_media(product_id)}{v.name}", v.width, v.height))
    return out


def default_image(settings: Mapping[str, Any], root: str) -> str | None:
    """Absolute URL of the site's default social image, or None when the site has none."""
    path = value(settings, "OCOP_DEFAULT_SOCIAL_IMAGE")
    if not path:
        return None
    return path if "://" in path else f"{root.rstrip('/')}/{path.lstrip('/')}"


def _fallback(context, root: str) -> tuple[str, int, int] | None:
    url = default_image(context, root)
    return (url, *SOCIAL_IMAGE_SIZE) if url else None


@pass_context
def product_head(
    context, product, lang: str, renditions: list[Rendition], canonical: str, site_name: str
) -> dict[str, Any]:
    root = canonical.rstrip("/")
    pics = image_urls(product.id, renditions, root)
    image = pics[0] if pics else _fallback(context, root)
    data = product_jsonld(product, lang, root, [u for u, _, _ in pics] or ([image[0]] if image else []))
    alt = None if pics else default_image_alt(lang)
    return {
        "jsonld": Markup(script_json(data)),
        "tags": social_tags(product, lang, root, site_name, image, alt),
    }


@pass_context
def showroom_tags(context, showroom, lang: str, renditions: list[Rendition]) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags of a showroom page: its name, kind, address and first photo."""
    root = str(value(context, "SITE_CANONICAL_URL")).rstrip("/")
    site_name = str(value(context, "SITENAME"))
    if renditions:
        v = renditions[0].pick("jpg", OG_WIDTH)
        image = (f"{root}/{urls.showroom_media(showroom.id)}{v.name}", v.width, v.height)
        return showrooms.social_tags(showroom, lang, root, site_name, image)
    return showrooms.social_tags(showroom, lang, root, site_name, _fallback(context, root), default_image_alt(lang))


GLOBALS = {"ocop_product_head": product_head, "ocop_showroom_tags": showroom_tags}
