"""The catalogue's theme (templates, static files, translations), packaged as `ocop_theme`.

Only here so that an installed `ocop` carries its theme: Pelican's THEME setting points to this
folder (ocop_catalogue.pelican_defaults). Nothing to import.
"""
