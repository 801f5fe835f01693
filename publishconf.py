"""Settings for the public site: absolute URLs under the real address."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = SITE_CANONICAL_URL  # noqa: F405
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False  # the build runner swaps whole folders instead
