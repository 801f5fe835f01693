"""The OCOP catalogue's domain core.

Records (YAML files) → validated model (`ocop.model`) → catalogue (`ocop.catalogue`):
groupings, statuses and counts. Nothing in this package imports Pelican; the site is
rendered by the adapter in ``plugins/ocop_catalogue``.
"""
