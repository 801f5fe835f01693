"""This site's settings: only what differs from the catalogue's defaults (ocop.settings lists every
setting, its default and its meaning). Paths are relative to this folder.
"""

SITENAME = "OCOP Lâm Đồng"
SITESUBTITLE = "Sản phẩm OCOP được chứng nhận"
AUTHOR = "Trung tâm Xúc tiến Thương mại"
# The address printed in QR codes and used for canonical and hreflang links: set the real domain
# before the first publication (example.org is a placeholder).
SITE_CANONICAL_URL = "https://ocop.example.org"
# The provinces the site covers (the current map): one name, a list, or "national". Records without
# `province:` are read in this province; a former district (Phan Thiết) is found in the province holding it.
OCOP_SCOPE = "Lâm Đồng"
# The browser editor at /admin/ (docs/bien-tap.md, docs/editor.md): `make edit` needs nothing here. For staff
# editing through the office's git host, with CI publishing what they save, uncomment and fill in:
# OCOP_EDITOR = "gitlab"  # or "gitea" (Forgejo too), "github"
# OCOP_EDITOR_REPO = "so-cong-thuong/ocop-lam-dong"
# OCOP_EDITOR_BRANCH = "main"
# OCOP_EDITOR_BACKEND_OPTIONS = {"base_url": "https://git.example.vn", "auth_type": "pkce", "app_id": "..."}
