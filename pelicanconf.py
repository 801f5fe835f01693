"""This site's settings: only what differs from the defaults (`ocop.settings` documents every one).

Paths are relative to this folder. publishconf.py adds the public address for publishing.
"""

SITENAME = "OCOP Lâm Đồng"
SITESUBTITLE = "Sản phẩm OCOP được chứng nhận"
AUTHOR = "Trung tâm Xúc tiến Thương mại"
# The address printed in QR codes and used for canonical and hreflang links. The office
# sets its real domain here (and so in publishconf.py); example.org is a placeholder.
SITE_CANONICAL_URL = "https://ocop.example.org"
# The provinces the site covers (the current map): one name, a list, or "national". Records without
# `province:` are read in this province; a former district (Phan Thiết) is found in the province holding it.
OCOP_SCOPE = "Lâm Đồng"
# Producer targets of the plans the sample records come from (ocop report, the statistics page).
OCOP_PLAN_TARGETS = [
    {"key": "cooperative", "share": 0.35, "source": "Bình Thuận 2024"},
    {"key": "coop_or_enterprise", "share": 0.80, "source": "Bình Phước 2025"},
    {"key": "women_led", "share": 0.40, "source": "Bình Phước 2025"},
    {"key": "ethnic_minority_led", "share": 0.05, "source": "Bình Phước 2025"},
]
# The browser editor at /admin/ (docs/bien-tap.md, docs/editor.md): `make edit` needs nothing here. For staff
# editing through the office's git host, with CI publishing what they save, uncomment and fill in:
# OCOP_EDITOR = "gitlab"  # or "gitea" (Forgejo too), "github"
# OCOP_EDITOR_REPO = "so-cong-thuong/ocop-lam-dong"
# OCOP_EDITOR_BRANCH = "main"
# OCOP_EDITOR_BACKEND_OPTIONS = {"base_url": "https://git.example.vn", "auth_type": "pkce", "app_id": "..."}
