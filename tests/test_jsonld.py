"""JSON-LD read the way a structured-data validator reads it: extracted from each built page and every object
checked against schema.org's vocabulary (is each property defined for the object's type?), then against Google's
rich-result rules for what we claim (offers). No network: the vocabulary we use is written out below from the
schema.org definitions (https://schema.org/<Type>, properties including those inherited from the parent types)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import html

from conftest import PROJECT

ROOT = "https://ocop.example.org"

# schema.org: the properties of each type, inherited ones included (only the types and parents we emit or may).
THING = {
    "@context", "@id", "@type",  # JSON-LD keywords
    "additionalType", "alternateName", "description", "disambiguatingDescription", "identifier", "image",
    "mainEntityOfPage", "name", "potentialAction", "sameAs", "subjectOf", "url",
}  # fmt: skip
CREATIVE_WORK = THING | {
    "about", "author", "dateCreated", "dateModified", "datePublished", "expires", "headline", "inLanguage",
    "keywords", "license", "publisher", "sdDatePublished", "text", "thumbnailUrl", "version",
}  # fmt: skip
INTANGIBLE = THING
PLACE = THING | {
    "additionalProperty", "address", "aggregateRating", "amenityFeature", "branchCode", "containedInPlace",
    "containsPlace", "event", "faxNumber", "geo", "globalLocationNumber", "hasCertification", "hasMap",
    "isAccessibleForFree", "isicV4", "keywords", "latitude", "logo", "longitude", "maximumAttendeeCapacity",
    "openingHoursSpecification", "photo", "publicAccess", "review", "slogan", "smokingAllowed",
    "specialOpeningHoursSpecification", "telephone", "tourBookingPage",
}  # fmt: skip
ORGANIZATION = THING | {
    "address", "aggregateRating", "areaServed", "award", "brand", "contactPoint", "department", "email",
    "employee", "founder", "foundingDate", "hasCertification", "hasOfferCatalog", "keywords", "legalName",
    "location", "logo", "makesOffer", "member", "parentOrganization", "review", "slogan", "subOrganization",
    "taxID", "telephone", "vatID",
}  # fmt: skip
LOCAL_BUSINESS = ORGANIZATION | PLACE | {"currenciesAccepted", "openingHours", "paymentAccepted", "priceRange"}
TRIP = INTANGIBLE | {
    "arrivalTime", "departureTime", "itinerary", "offers", "partOfTrip", "provider", "subTrip", "tripOrigin",
}  # fmt: skip
VOCABULARY: dict[str, set[str]] = {
    "Product": THING | {
        "additionalProperty", "aggregateRating", "audience", "award", "brand", "category", "color",
        "countryOfAssembly", "countryOfLastProcessing", "countryOfOrigin", "gtin", "gtin8", "gtin12", "gtin13",
        "gtin14", "hasCertification", "hasMeasurement", "hasMerchantReturnPolicy", "isRelatedTo", "isSimilarTo",
        "isVariantOf", "itemCondition", "keywords", "logo", "manufacturer", "material", "model", "mpn", "nsn",
        "offers", "productID", "productionDate", "review", "size", "sku", "slogan", "weight",
    },
    "Service": INTANGIBLE | {
        "aggregateRating", "areaServed", "audience", "availableChannel", "award", "brand", "broker", "category",
        "hasCertification", "hasOfferCatalog", "hoursAvailable", "isRelatedTo", "isSimilarTo", "logo", "offers",
        "produces", "provider", "providerMobility", "review", "serviceArea", "serviceOutput", "serviceType",
        "slogan", "termsOfService",
    },
    "TouristTrip": TRIP | {"touristType"},
    "TouristAttraction": PLACE | {"availableLanguage", "touristType"},
    "Offer": INTANGIBLE | {
        "acceptedPaymentMethod", "addOn", "aggregateRating", "areaServed", "availability", "availabilityEnds",
        "availabilityStarts", "availableAtOrFrom", "availableDeliveryMethod", "businessFunction", "category",
        "deliveryLeadTime", "eligibleRegion", "gtin", "hasMerchantReturnPolicy", "inventoryLevel", "itemCondition",
        "itemOffered", "mpn", "offeredBy", "price", "priceCurrency", "priceSpecification", "priceValidUntil",
        "review", "seller", "serialNumber", "shippingDetails", "sku", "validFrom", "validThrough", "warranty",
    },
    "Certification": CREATIVE_WORK | {
        "auditDate", "certificationIdentification", "certificationRating", "certificationStatus",
        "hasMeasurement", "issuedBy", "logo", "validFor", "validFrom", "validIn",
    },
    "Rating": INTANGIBLE | {"author", "bestRating", "ratingExplanation", "ratingValue", "reviewAspect", "worstRating"},
    "Organization": ORGANIZATION,
    "Brand": INTANGIBLE | {"aggregateRating", "logo", "review", "slogan"},
    "Country": PLACE,
    "LocalBusiness": LOCAL_BUSINESS,
    "Store": LOCAL_BUSINESS,
    "PostalAddress": THING | {
        "addressCountry", "addressLocality", "addressRegion", "postOfficeBoxNumber", "postalCode",
        "streetAddress", "areaServed", "availableLanguage", "contactType", "email", "faxNumber", "hoursAvailable",
        "telephone",
    },
    "GeoCoordinates": THING | {"address", "addressCountry", "elevation", "latitude", "longitude", "postalCode"},
    "OpeningHoursSpecification": THING | {"closes", "dayOfWeek", "opens", "validFrom", "validThrough"},
    "ImageObject": CREATIVE_WORK | {
        "caption", "contentUrl", "embeddedTextCaption", "encodingFormat", "exifData", "height",
        "representativeOfPage", "width",
    },
}  # fmt: skip
# Where a property expects one of some types (schema.org "Values expected to be one of these types").
RANGES: dict[str, set[str]] = {
    "offers": {"Offer"},
    "hasCertification": {"Certification"},
    "certificationRating": {"Rating"},
    "issuedBy": {"Organization"},
    "brand": {"Brand", "Organization"},
    "manufacturer": {"Organization"},
    "provider": {"Organization", "Person"},
    "address": {"PostalAddress"},
    "geo": {"GeoCoordinates"},
    "openingHoursSpecification": {"OpeningHoursSpecification"},
    "countryOfOrigin": {"Country"},
    "areaServed": {"PostalAddress", "Place", "AdministrativeArea", "GeoShape"},
}
BIDI_OR_BREAK = re.compile("[\t\n\r\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def violations(node, where: str = "$", parent_property: str | None = None) -> list[str]:
    """Every property used on a type that schema.org does not define for it, every unknown type, every value of
    a property outside its range."""
    found: list[str] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += violations(item, f"{where}[{i}]", parent_property)
        return found
    if not isinstance(node, dict):
        return found
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    unknown = [t for t in types if t not in VOCABULARY]
    if unknown:
        return [f"{where}: type {unknown} is not in the check table"]
    allowed = set().union(*(VOCABULARY[t] for t in types))
    if parent_property in RANGES and not set(types) & RANGES[parent_property]:
        found.append(f"{where}: {parent_property} expects {sorted(RANGES[parent_property])}, found {types}")
    for key, value in node.items():
        if key not in allowed:
            found.append(f"{where}: {key!r} is not a property of {'/'.join(types)}")
        if isinstance(value, dict | list):
            found += violations(value, f"{where}.{key}", key)
    return found


def page_jsonld(page: Path) -> tuple[list[dict], dict[str, str]]:
    doc = html.fromstring(page.read_bytes())
    data = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    tags = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@content]")}
    return data, tags


def test_the_check_table_catches_what_the_issue_found():
    assert violations({"@type": "Product", "name": "x", "inLanguage": "vi"}) == [
        "$: 'inLanguage' is not a property of Product"
    ]
    assert violations({"@type": "Product", "offers": {"@type": "Rating"}})
    assert not violations({"@type": "Service", "offers": {"@type": "Offer", "price": 1}, "provider": {
        "@type": "Organization", "name": "x"}})  # fmt: skip


def test_every_product_page_says_only_what_schema_org_defines(site, catalogue):
    for p in catalogue.products:
        for url in (f"san-pham/{p.slug}/", f"en/products/{p.slug}/"):
            (data,), tags = page_jsonld(site / url / "index.html")
            assert violations(data) == [], url
            assert data["@type"] == ("Product" if p.group.goods else "Service"), url
            assert not BIDI_OR_BREAK.search(data["name"]) and "<" not in data["name"]
            offer = data.get("offers")
            if not p.status.listed:  # expired or revoked: nothing is offered, least of all in stock
                assert offer is None, url
            if offer:  # what Google's product snippet and merchant listing need of an offer
                assert offer["price"] > 0 and offer["priceCurrency"] == "VND" and offer["availability"]
            else:
                assert "product:price:amount" not in tags
            assert data["image"] and tags["og:image"] == data["image"][0] and tags["twitter:image:alt"]


def test_products_without_a_photo_show_the_default_image(site, catalogue):
    without = [p for p in catalogue.products if not p.images]
    assert without, "the sample has products without a photo"
    png = PROJECT / "theme/static/img/ocop-social.png"
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1200, 630) and im.format == "PNG"
    assert png.stat().st_size < 50_000
    for p in without:
        (data,), tags = page_jsonld(site / f"san-pham/{p.slug}/index.html")
        assert data["image"] == [f"{ROOT}/theme/img/ocop-social.png"]
        assert (site / "theme/img/ocop-social.png").is_file()
        assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "630"
        assert tags["og:image:alt"] == tags["twitter:image:alt"] == "Sản phẩm OCOP"


def test_tourism_is_a_service_given_by_its_producer(site, catalogue):
    tours = [p for p in catalogue.products if not p.group.goods]
    assert tours
    for p in tours:
        (data,), _ = page_jsonld(site / f"en/products/{p.slug}/index.html")
        assert data["@type"] == "Service" and data["provider"]["name"] == p.producer.name
        assert data["serviceType"] == p.group.label("en") and "sku" not in data and "gtin" not in data


def test_showroom_pages_have_social_tags_and_international_phones(site):
    from ocop import urls

    pages = [page for lang in ("vi", "en") for page in sorted((site / urls.showrooms(lang)).glob("*/index.html"))]
    stores = 0
    for page in pages:
        data, tags = page_jsonld(page)
        store = next((d for d in data if d.get("@type") == "Store"), None)
        if store is None:
            continue
        stores += 1
        assert violations(store) == [], page
        if "telephone" in store:
            assert re.fullmatch(r"\+84 [\d ]+", store["telephone"]), store["telephone"]
        assert tags["og:title"] == store["name"] and tags["og:url"] == store["url"]
        assert tags["og:image"].startswith(ROOT + "/") and tags["twitter:card"] == "summary_large_image"
        assert tags["twitter:image:alt"] and tags["twitter:title"] == store["name"]
    assert stores == len(pages) > 0


def test_international_phone():
    from ocop.showrooms import international_phone

    assert international_phone("0252 3821 904") == "+84 252 3821 904"
    assert international_phone("0903.625.477") == "+84 903.625.477"
    assert international_phone("+84 903 625 477") == "+84 903 625 477"
    assert international_phone("84903625477") == "+84903625477"
