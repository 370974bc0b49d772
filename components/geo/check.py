"""``geocode-check``: how close the geocoder puts the places of a file that holds the truth.

Any table with place names and true coordinates (an ACLED or UCDP export) is read with its
own column names (``location``/``where_coordinates``, ``admin1``/``adm_1``,
``admin2``/``adm_2``, ``country``, ``latitude``, ``longitude``, ``geo_precision``/
``where_prec``). Rows whose precision code says the coordinates are the place itself
(1 by default) are kept; each distinct (name, admin1, admin2, country) is one case, its
truth the first such row's point. Names are geocoded without looking at the coordinates.

Splits: a case belongs to the development split or the test split by the SHA-256 of its
normalized "name|admin1|country" (``dev`` when the first eight hex digits, as a number, are
even), so one place is never in both splits and the split does not change when files do.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from components.geo.distance import km_arrays
from components.geo.events import ADMIN2, geocode_events
from components.geo.learned import LearnedPlaces, file_source, throwaway
from components.geo.names import normalize_name
from components.table.errors import GeocodeInputError
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    EVENT_ID,
    GEO_PRECISION,
    GEOCODER,
    LATITUDE,
    LOCATION,
    LONGITUDE,
    MATCHED_NAME,
)

__all__ = ["CheckResult", "check_files", "read_truth", "split_of", "summarise"]

BANDS_KM = (10, 25, 50)
# Columns as ACLED and UCDP write them, first found wins (compared case-insensitively).
COLUMN_ALIASES = {
    LOCATION: ("location", "where_coordinates"),
    ADMIN1: ("admin1", "adm_1"),
    ADMIN2: ("admin2", "adm_2"),
    COUNTRY: ("country",),
    LATITUDE: ("latitude", "lat"),
    LONGITUDE: ("longitude", "lon", "long", "lng"),
    GEO_PRECISION: ("geo_precision", "where_prec"),
    EVENT_ID: ("event_id_cnty", "event_id", "id", "data_id"),
}
REQUIRED = (LOCATION, LATITUDE, LONGITUDE)


def split_of(name: str, admin1: str, country: str) -> str:
    """``dev`` or ``test``: the split a place belongs to (see the module's docstring)."""
    key = "|".join(normalize_name(part) for part in (name, admin1, country))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "test"


def read_truth(path: str | os.PathLike[str], *, precisions: Sequence[int] = (1,)) -> pd.DataFrame:
    """The rows of a file with a place name and true coordinates at the given precisions.

    Columns: location, admin1, admin2, country, latitude, longitude, geo_precision, event_id
    and ``source`` (the file's stem). Raises GeocodeInputError when the file lacks a name
    or coordinate column.
    """
    from components.geo.table import read_text_table

    path = Path(path)
    table = read_text_table(path)
    columns = {str(c).strip().casefold(): c for c in table.columns}
    out = pd.DataFrame(index=table.index)
    for name, aliases in COLUMN_ALIASES.items():
        found = next((columns[a] for a in aliases if a in columns), None)
        if found is None and name in REQUIRED:
            wanted = " or ".join(aliases)
            raise GeocodeInputError(str(path), f"no {wanted} column: it holds no truth to check")
        out[name] = table[found].astype(str).str.strip() if found is not None else ""
    out[LATITUDE] = pd.to_numeric(out[LATITUDE], errors="coerce")
    out[LONGITUDE] = pd.to_numeric(out[LONGITUDE], errors="coerce")
    out[GEO_PRECISION] = pd.to_numeric(out[GEO_PRECISION], errors="coerce")
    keep = out[LATITUDE].between(-90, 90) & out[LONGITUDE].between(-180, 180)
    keep &= out[LOCATION] != ""
    if not (out[GEO_PRECISION].notna()).any():
        raise GeocodeInputError(
            str(path), "no geo_precision or where_prec column: cannot tell exact points"
        )
    keep &= out[GEO_PRECISION].isin(list(precisions))
    out = out[keep].reset_index(drop=True)
    out["source"] = path.stem
    return out


@dataclass(slots=True)
class CheckResult:
    """Cases (one per distinct place) with the truth, the answer and the distance."""

    cases: pd.DataFrame
    files: list[str] = field(default_factory=list)


def cases_of(truth: pd.DataFrame, split: str = "all") -> pd.DataFrame:
    """One case per distinct (name, admin1, admin2, country); the first row gives the truth."""
    keys = [LOCATION, ADMIN1, ADMIN2, COUNTRY]
    cases = truth.drop_duplicates(keys).reset_index(drop=True)
    cases["rows"] = truth.groupby(keys, sort=False).size().to_numpy()
    cases["split"] = [
        split_of(n, a, c)
        for n, a, c in zip(cases[LOCATION], cases[ADMIN1], cases[COUNTRY], strict=True)
    ]
    if split != "all":
        cases = cases[cases["split"] == split].reset_index(drop=True)
    return cases


def check_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    split: str = "all",
    precisions: Sequence[int] = (1,),
    geocoder=None,
    places_file: str | os.PathLike[str] | None = None,
    learned: LearnedPlaces | None = None,
    learn_from: Sequence[str | os.PathLike[str]] = (),
    cache_dir: str | os.PathLike[str] | None = None,
) -> CheckResult:
    """Geocode the distinct places of each file (names only) and measure the distances.

    ``learned`` is consulted as is, except what it learned from the measured file itself;
    ``learn_from`` files are learned afresh for each measured file, leaving out that file and
    any event whose id it holds too (two exports of one dataset), so no file is measured
    against its own answers.
    """
    paths = [Path(p) for p in paths]
    frames = []
    for path in paths:
        truth = read_truth(path, precisions=precisions)
        cases = cases_of(truth, split)
        if cases.empty:
            continue
        with contextlib.ExitStack() as stack:
            store = learned
            others = [Path(p) for p in learn_from if Path(p).resolve() != path.resolve()]
            if others:
                store = stack.enter_context(throwaway())
                own_ids = set(truth[EVENT_ID]) - {""}
                for other in others:
                    store.learn(read_truth(other), file_source(other), skip_ids=own_ids)
            frames.append(
                _geocoded(cases, geocoder, places_file, store, cache_dir, file_source(path))
            )
    cases = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not cases.empty:
        # The same place in two files (two exports of one dataset) is one case.
        cases = cases.drop_duplicates([LOCATION, ADMIN1, ADMIN2, COUNTRY]).reset_index(drop=True)
    return CheckResult(cases, [p.name for p in paths])


def _geocoded(cases, geocoder, places_file, learned, cache_dir, source: str) -> pd.DataFrame:
    """The cases with the geocoder's answer and its distance from the truth."""
    query = pd.DataFrame({c: cases[c] for c in (LOCATION, ADMIN1, ADMIN2, COUNTRY)})
    query[LATITUDE] = np.nan
    query[LONGITUDE] = np.nan
    if learned is not None:
        learned = _WithoutSource(learned, source)
    placed = geocode_events(
        query, geocoder=geocoder, places_file=places_file, cache_dir=cache_dir, learned=learned
    )
    cases = cases.copy()
    cases["answer_lat"] = placed[LATITUDE].to_numpy()
    cases["answer_lon"] = placed[LONGITUDE].to_numpy()
    cases["answer_precision"] = placed[GEO_PRECISION].to_numpy()
    cases["answer_by"] = placed[GEOCODER].to_numpy()
    cases["matched"] = placed[MATCHED_NAME].to_numpy()
    cases["km"] = km_arrays(cases[LATITUDE], cases[LONGITUDE], cases.answer_lat, cases.answer_lon)
    return cases


class _WithoutSource:
    """Learned places, less what one source (the measured file) taught."""

    def __init__(self, learned: LearnedPlaces, source: str) -> None:
        self.learned, self.source = learned, source

    def find(self, name: str, country_code: str | None, admin1: str = ""):
        return self.learned.find(name, country_code, admin1, exclude_source=self.source)


def misses(cases: pd.DataFrame) -> pd.Series:
    """Cases the geocoder did not place itself within 50 km: not found, fallen back to a
    region, or too far."""
    placed = (cases["answer_precision"].fillna(0) <= 1) & (cases["km"] <= BANDS_KM[-1])
    return ~placed


def misses_far_from_gazetteer(result: CheckResult, gazetteer, radius_km: float = 10.0) -> int:
    """How many misses have no gazetteer place within ``radius_km`` of the true point."""
    cases = result.cases[misses(result.cases)]
    latitudes, longitudes = gazetteer.place_points()
    return sum(
        bool((km_arrays(lat, lon, latitudes, longitudes) > radius_km).all())
        for lat, lon in zip(cases[LATITUDE], cases[LONGITUDE], strict=True)
    )


def summarise(result: CheckResult, *, worst: int = 15) -> str:
    """The table geocode-check prints: overall, by file, country and answer precision."""
    cases = result.cases
    if cases.empty:
        return "no cases"
    lines = [_header()]
    lines.append(_line("all", cases))
    distances = cases["km"]
    lines.append(
        f"  counting every answer by its distance (fallbacks too): "
        f"≤25 km {100 * (distances <= 25).mean():.1f}%, "
        f">50 km {100 * (distances > 50).mean():.1f}%, "
        f">500 km {int((distances > 500).sum())}"
    )
    for title, column in (("by file", "source"), ("by country", COUNTRY)):
        lines.append(f"{title}:")
        for value, group in cases.groupby(column, sort=True):
            lines.append(_line(f"  {value}", group))
    lines.append("by precision the geocoder wrote (- = not found):")
    precision = cases["answer_precision"].astype("Int64").astype(str).replace("<NA>", "-")
    for value, group in cases.groupby(precision, sort=True):
        lines.append(_line(f"  {value}", group))
    far = cases[cases["km"] > BANDS_KM[-1]].sort_values("km", ascending=False)
    if worst and not far.empty:
        lines.append(f"worst cases (> {BANDS_KM[-1]} km):")
        for case in far.head(worst).itertuples():
            lines.append(
                f"  {case.km:8.0f} km  {case.location!r} ({case.admin1 or '-'}, "
                f"{case.admin2 or '-'}, {case.country or '-'}) → {case.matched!r} "
                f"[{case.answer_by}, precision {case.answer_precision}]"
            )
    missing = cases[cases["km"].isna()]
    if worst and not missing.empty:
        shown = ", ".join(
            f"{c.location} ({c.admin1 or '-'}, {c.country or '-'})"
            for c in missing.head(worst).itertuples()
        )
        lines.append(f"not found (first {min(worst, len(missing))}): {shown}")
    return "\n".join(lines)


def _header() -> str:
    bands = "".join(f"{'≤' + str(b) + ' km':>9}" for b in BANDS_KM)
    return f"{'':28}{'places':>7}{bands}{'>50 km':>9}{'region':>9}{'not found':>11}{'farthest':>10}"


def _line(title: str, cases: pd.DataFrame) -> str:
    """Shares of cases: answers naming the place itself (precision 1) by distance, answers
    that fell back to a district or province (precision 2-3), not found; the farthest of
    all answers."""
    distances = cases["km"]
    total = len(cases)
    place = distances.where(cases["answer_precision"].fillna(0) <= 1)
    region = distances.notna() & (cases["answer_precision"].fillna(0) > 1)
    cells = [_share((place <= band).sum(), total) for band in BANDS_KM]
    cells.append(_share((place > BANDS_KM[-1]).sum(), total))
    cells.append(_share(region.sum(), total))
    cells.append(_share(distances.isna().sum(), total, width=11))
    farthest = f"{distances.max():,.0f} km" if distances.notna().any() else "-"
    return f"{title[:28]:28}{total:7,}{''.join(cells)}{farthest:>10}"


def _share(count: int, total: int, width: int = 9) -> str:
    return f"{100 * count / max(total, 1):{width - 1}.1f}%"
