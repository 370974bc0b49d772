"""The gazetteer's queries for rows of event datasets: places of one country by exact or
loose name, and the country's first-level regions with every name they are stored under
(used by :mod:`components.geo.resolve`). A mixin of :class:`~components.geo.gazetteer.Gazetteer`,
which holds the columns these read."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from components.geo.distance import km_arrays
from components.geo.index_files import (
    DATASET_PREFIX,
    FOLDED_PREFIX,
    KIND_DATASET,
    KIND_FOLDED,
    KIND_NAME,
)
from components.geo.names import folded_keys, normalize_name, reported_name, without_articles

if TYPE_CHECKING:
    from components.geo.gazetteer import Place

__all__ = ["RowQueries"]


class RowQueries:
    """Queries by country and region; see the module's docstring."""

    _regions_by_country: dict[str, list[int]] | None = None
    _places_by_country: dict[str, np.ndarray] | None = None

    def exact_places(self, name: str, country_code: str) -> list[Place]:
        """Places of one country called ``name`` (or an alternate name), best first; no loose
        forms. Words around the name ("X village", "selo X") are read as in :meth:`lookup`."""
        key = normalize_name(name)
        tries = [(key, 1)]
        reported = reported_name(key)
        if reported is not None and not reported.is_region:
            tries.append((reported.key, reported.geo_precision))
        found, floor = self._first_found(tries, country_code)
        places = [self._place(row, kind) for row, kind in found if not self._is_country[row]]
        return [replace(p, geo_precision=max(p.geo_precision, floor)) for p in places]

    def _first_found(
        self, tries: list[tuple[str, int]], country_code: str
    ) -> tuple[list[tuple[int, int]], int]:
        """The ranked rows of the first key with places in the country, and its precision;
        each key is also tried without its articles ("El Geneina")."""
        for wanted, floor in tries:
            for variant in dict.fromkeys((wanted, without_articles(wanted))):
                found = self._rank(
                    self._in_country(self._candidates(variant, dataset=True), country_code), None
                )
                if found:
                    return found, floor
        return [], 1

    def loose_places(self, name: str, country_code: str) -> list[Place]:
        """Places of one country whose name meets ``name`` without its articles or folded
        (see fold_name), best first; the caller decides whether one stands out."""
        key = normalize_name(name)
        reported = reported_name(key)
        if reported is not None and not reported.is_region:
            key = reported.key
        loose_keys = [without_articles(key)]
        loose_keys += [FOLDED_PREFIX + spelling for spelling in folded_keys(key)]
        candidates: dict[int, int] = {}
        for loose_key in dict.fromkeys(loose_keys):
            if loose_key != key:
                candidates.update(self._candidates(loose_key, dataset=True))
        found = self._rank(self._in_country(candidates, country_code), None)
        return [self._place(row, KIND_FOLDED) for row, _ in found if not self._is_country[row]]

    def regions(self, country_code: str) -> list[Place]:
        """The first-level regions of a country."""
        rows = self._region_rows_by_country().get(country_code, [])
        return [self._place(row, KIND_NAME) for row in rows]

    def region_names(self, country_code: str) -> list[tuple[str, Place]]:
        """(name key, region) for the names a country's regions are read by in dataset rows:
        a region GeoNames names is read by that name and the names tied to it; another by
        the names reports know it by."""
        rows = set(self._region_rows_by_country().get(country_code, []))
        if not rows:
            return []
        positions = np.flatnonzero(np.isin(self._key_place, np.fromiter(rows, dtype=np.int64)))
        keys = self._key.take(pa.array(positions)).to_pylist()
        found = list(
            zip(keys, self._key_place[positions].tolist(), self._key_kind[positions].tolist(),
                strict=True)
        )  # fmt: skip
        named_by_geonames = {row for _, row, kind in found if kind == KIND_DATASET}
        places = {row: self._place(row, KIND_NAME) for row in rows}
        return [
            (key.removeprefix(DATASET_PREFIX), places[row])
            for key, row, kind in found
            if kind == KIND_DATASET or (row not in named_by_geonames and kind != KIND_FOLDED)
        ]

    def region_by_code(self, country_code: str, admin1: str) -> Place | None:
        """The region with this GeoNames admin1 code."""
        row = self._region_row.get((country_code, admin1))
        return None if row is None else self._place(row, KIND_NAME)

    def region_extent(self, country_code: str, admin1: str) -> tuple[float, float, float] | None:
        """Centre (the region's point) and radius in km of the places of one region."""
        region = self.region_by_code(country_code, admin1)
        rows = self._place_rows_by_country().get(country_code)
        if region is None or rows is None:
            return None
        inside = rows[np.fromiter((self._admin1[r] == admin1 for r in rows), bool, len(rows))]
        if not len(inside):
            return None
        distances = km_arrays(
            region.latitude, region.longitude, self._latitude[inside], self._longitude[inside]
        )
        return region.latitude, region.longitude, float(distances.max())

    def places_in(self, country_code: str, admin1s: frozenset[str]) -> list[Place]:
        """The places of some regions of one country."""
        rows = self._place_rows_by_country().get(country_code)
        if rows is None:
            return []
        return [self._place(int(r), KIND_NAME) for r in rows if self._admin1[r] in admin1s]

    def _place_rows_by_country(self) -> dict[str, np.ndarray]:
        if self._places_by_country is None:
            import pandas as pd  # not at import: loading the index alone needs no pandas

            rows = np.flatnonzero(~(self._is_country | self._is_region))
            # Grouped by sorting the codes, not row by row in Python (half the time, and
            # without holding Python's lock per row). Rows stay in ascending order per group.
            codes, countries = pd.factorize(np.asarray(self._country, dtype=object)[rows])
            by_code = rows[np.argsort(codes, kind="stable")]
            ends = np.cumsum(np.bincount(codes, minlength=len(countries)))
            self._places_by_country = {
                str(country): by_code[end - size : end]
                for country, end, size in zip(
                    countries, ends, np.diff(ends, prepend=0), strict=True
                )
            }
        return self._places_by_country

    def place_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of every place (regions and countries left out)."""
        keep = ~(self._is_country | self._is_region)
        return self._latitude[keep], self._longitude[keep]

    def _in_country(self, candidates: dict[int, int], code: str) -> dict[int, int]:
        return {row: kind for row, kind in candidates.items() if self._country[row] == code}

    def _region_rows_by_country(self) -> dict[str, list[int]]:
        if self._regions_by_country is None:
            grouped: dict[str, list[int]] = {}
            for row in np.flatnonzero(self._is_region).tolist():
                grouped.setdefault(self._country[row], []).append(row)
            self._regions_by_country = grouped
        return self._regions_by_country
