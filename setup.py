"""Which folders are packages; everything else about the package is in pyproject.toml.

The project folder is itself a site (content/, products/, theme/, plugins/, pelicanconf.py at
the top), so the packages are mapped from where they live: the domain core `ocop/`, the theme
`theme/` as `ocop_theme`, and every plugin folder in `plugins/` (a new plugin is packaged by
being there).
"""

from setuptools import find_packages, setup

PLUGINS = find_packages("plugins")
CORE = ["ocop", *(f"ocop.{p}" for p in find_packages("ocop"))]
PACKAGE_DIR = {"ocop_theme": "theme", **{p: "plugins/" + p.replace(".", "/") for p in PLUGINS}}

setup(packages=[*CORE, "ocop_theme", *PLUGINS], package_dir=PACKAGE_DIR)
