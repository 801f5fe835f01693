"""Which catalogue pages a preview refresh must render again, without fingerprinting all 45,000.

After a record is saved, the preview (preview.py) plans every page again from the refreshed catalogue. A page
whose planned context holds the very same objects as last time (the same Product objects, none of them read
again, the same places and groups, equal plain values) shows the same thing: its fingerprint is last time's.
Only the others are fingerprinted (incremental.Fingerprints) and compared, so a refresh costs what changed,
not the size of the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocop.catalogue import DistrictEntry, FormerProvinceEntry, ProvinceEntry
from ocop.model import Product
from ocop.places import FormerProvince

from .incremental import Fingerprints, Manifest
from .site import Page
from .views import Pagination

_ENTRIES = (DistrictEntry, FormerProvinceEntry, ProvinceEntry, Pagination)


class PreviewFingerprints(Fingerprints):
    """Fingerprints that also cover the province pages (else rendered at every save: ~200 large pages)."""

    def _key(self, value: Any) -> Any:
        if isinstance(value, ProvinceEntry):
            # `districts` is derived from `former`, `by_group` from `products`: both are in the key already
            return (
                value.province.code,
                value.in_scope,
                value.total,
                self._key(value.former),
                self._key(value.products),
            )
        if isinstance(value, FormerProvinceEntry):
            return ("former", value.province.code, self._key(value.districts))
        if isinstance(value, FormerProvince):
            return ("former", value.code)
        return super()._key(value)


@dataclass
class Memory:
    """What the last preview build of one generator planned and fingerprinted, for the next refresh."""

    # its fingerprints file, for that build's inputs (incremental.inputs_digest): a refresh runs only when none
    # of those files changed, so it saves to the same one
    manifest: Manifest
    pages: dict[str, Page] = field(default_factory=dict)  # output file → its planned page
    prints: dict[str, str] = field(default_factory=dict)  # output file → fingerprint (absent: always rendered)


_PLAIN = (str, int, float, bool, type(None))
_CONTAINERS = (list, tuple, dict, Pagination)


class Sameness:
    """Compares page contexts planned now with last time's (see the module's docstring).

    `fresh`: ids of the products read again since (their objects are new, so they are never "the same").
    An entry (a district's, a province's) is shown on many pages: it is compared once.
    """

    def __init__(self, fresh: set[str]):
        self.fresh = fresh
        self.entries: dict[tuple[int, int], bool] = {}

    def same(self, before: Any, now: Any) -> bool:
        """True if a context value shows exactly what it showed before: the same objects, or equal plain values."""
        kind = type(now)
        if kind is Product or isinstance(now, Product):
            return before is now and now.id not in self.fresh
        if kind in _PLAIN:
            return type(before) is kind and before == now
        if kind in _CONTAINERS:
            return type(before) is kind and self._same_container(before, now)
        if before is now and not isinstance(now, _ENTRIES):
            return True  # a place, a group: made once per process
        if isinstance(now, _ENTRIES) and type(before) is kind:
            return self._same_entry(before, now)
        return False  # anything else (the whole catalogue on the home page): fingerprinted, as in a whole build

    def _same_container(self, before: Any, now: Any) -> bool:
        """Two lists, tuples, dicts or paginations of the same type."""
        if type(now) is dict:
            return before.keys() == now.keys() and all(self.same(before[k], v) for k, v in now.items())
        if type(now) is Pagination:
            # a long listing's every page holds every page's address: compared as plain strings, in one go
            return vars(before) == vars(now)
        return len(before) == len(now) and all(map(self.same, before, now))

    def _same_entry(self, before: Any, now: Any) -> bool:
        """A district's or province's entry, shown on many pages: compared once."""
        key = (id(before), id(now))
        found = self.entries.get(key)
        if found is None:
            found = self.entries[key] = self.same(vars(before), vars(now))
        return found

    def unchanged(self, before: Page | None, now: Page) -> bool:
        """The page as planned now shows what it showed last time."""
        return (
            before is not None
            and before.template == now.template
            and before.lang == now.lang
            and before.save_as == now.save_as
            and before.urls == now.urls
            and self.same(before.context, now.context)
        )
