"""URLs are a promise (printed on packaging): the string building in ocop.urls gives what it always gave."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop import urls
from ocop.i18n import LANGS

slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)
# No deadline: a loaded machine is no bug; no database: the same examples every run.
QUICK = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _first_form(lang: str, *parts: str) -> str:
    """How urls._u first wrote an address: every part followed by a slash, after the language's prefix."""
    return urls._PREFIX[lang] + "".join(f"{p}/" for p in parts)


@QUICK
@given(st.lists(slugs, max_size=4), st.sampled_from(LANGS))
def test_addresses_are_built_as_before(parts, lang):
    assert urls._u(lang, *parts) == _first_form(lang, *parts)


@QUICK
@given(slugs)
def test_product_addresses(slug):
    assert urls.product_slug(slug, "vi") == f"san-pham/{slug}/"
    assert urls.product_slug(slug, "en") == f"en/products/{slug}/"


def test_pages_without_a_folder_of_their_own():
    assert [urls.home(lang) for lang in LANGS] == [_first_form(lang) for lang in LANGS] == ["", "en/"]
    assert urls.product_prefix("vi") == "san-pham/" and urls.browse("en") == "en/browse/"
