"""Words the feeds write in each language (feeds are built outside the themed templates)."""
from __future__ import annotations

PRODUCER_KINDS = {
    "vi": {"enterprise": "Doanh nghiệp", "cooperative": "Hợp tác xã", "cooperative_group": "Tổ hợp tác",
           "household": "Hộ sản xuất, kinh doanh"},
    "en": {"enterprise": "Enterprise", "cooperative": "Cooperative", "cooperative_group": "Cooperative group",
           "household": "Household business"},
}

DETAIL_SECTION = {"vi": "OCOP", "en": "OCOP"}
DETAILS = {
    "vi": {"stars": "Hạng sao OCOP", "decision": "Quyết định công nhận", "expires": "Hiệu lực đến",
           "district": "Địa phương", "producer_kind": "Loại chủ thể"},
    "en": {"stars": "OCOP stars", "decision": "Certificate decision", "expires": "Certificate valid until",
           "district": "District", "producer_kind": "Producer kind"},
}


def stars(n: int, lang: str) -> str:
    return f"{n} sao" if lang == "vi" else (f"{n} star" if n == 1 else f"{n} stars")


def star_level(n: int, lang: str) -> str:
    """As an adjective: '4 sao', '4-star'."""
    return f"{n} sao" if lang == "vi" else f"{n}-star"


FEED_TITLES = {
    "merchant": {"vi": "{site}: sản phẩm (Google Merchant Center)", "en": "{site}: products (Google Merchant Center)"},
    "news": {"vi": "{site}: tin chứng nhận OCOP", "en": "{site}: OCOP certification news"},
}
FEED_SUBTITLES = {
    "merchant": {"vi": "Sản phẩm OCOP còn hiệu lực chứng nhận, có giá bán tham khảo.",
                 "en": "OCOP products with a valid certificate and a reference price."},
    "news": {"vi": "Chứng nhận mới, nâng hạng, hết hạn và thu hồi chứng nhận sản phẩm OCOP.",
             "en": "New OCOP certificates, re-ratings, expiries and revocations."},
}

# Certification news: title and summary of each kind of event.
NEWS = {
    "vi": {
        "certified": ("{name} được công nhận sản phẩm OCOP {stars}", "Quyết định {decision} ngày {date} của {issuer} công nhận {name} ({producer}, {district}) đạt {stars}."),
        "upgraded": ("{name} được nâng hạng lên OCOP {stars}", "Quyết định {decision} ngày {date} của {issuer} nâng hạng {name} ({producer}, {district}) từ {previous} lên {stars}."),
        "downgraded": ("{name} được đánh giá lại ở hạng OCOP {stars}", "Quyết định {decision} ngày {date} của {issuer} đánh giá lại {name} ({producer}, {district}) ở hạng {stars} (trước đây {previous})."),
        "renewed": ("{name} được công nhận lại sản phẩm OCOP {stars}", "Quyết định {decision} ngày {date} của {issuer} công nhận lại {name} ({producer}, {district}) đạt {stars}."),
        "expired": ("Chứng nhận OCOP của {name} đã hết hạn", "Giấy chứng nhận OCOP {stars} của {name} ({producer}, {district}) theo Quyết định {decision} đã hết hạn ngày {date}; sản phẩm cần được đánh giá lại."),
        "revoked": ("Thu hồi chứng nhận OCOP của {name}", "Giấy chứng nhận OCOP {stars} của {name} ({producer}, {district}) theo Quyết định {decision} đã bị thu hồi ngày {date}."),
    },
    "en": {
        "certified": ("{name} certified as a {stars} OCOP product", "Decision {decision} of {date} by {issuer} certifies {name} ({producer}, {district}) as a {stars} OCOP product."),
        "upgraded": ("{name} upgraded to a {stars} OCOP product", "Decision {decision} of {date} by {issuer} re-rates {name} ({producer}, {district}) from {previous} to {stars}."),
        "downgraded": ("{name} re-rated as a {stars} OCOP product", "Decision {decision} of {date} by {issuer} re-rates {name} ({producer}, {district}) as a {stars} OCOP product (previously {previous})."),
        "renewed": ("{name} re-certified as a {stars} OCOP product", "Decision {decision} of {date} by {issuer} re-certifies {name} ({producer}, {district}) as a {stars} OCOP product."),
        "expired": ("OCOP certificate of {name} expired", "The {stars} OCOP certificate of {name} ({producer}, {district}), decision {decision}, expired on {date}; the product is due for re-evaluation."),
        "revoked": ("OCOP certificate of {name} revoked", "The {stars} OCOP certificate of {name} ({producer}, {district}), decision {decision}, was revoked on {date}."),
    },
}
