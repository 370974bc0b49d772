"""The ``geocode`` command: add coordinates to any CSV table with a place-name column."""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd
from tqdm import tqdm

from components.formats.writers import csv_text
from components.geo.events import ADMIN2, DEFAULT_LEARNED
from components.geo.gazetteer import resolve_cache_dir
from components.geo.geocoder import (
    CACHE_FILE,
    GazetteerGeocoder,
    GeocodeCache,
    GeocodeTally,
    geocode_events,
)
from components.geo.geocoders.online import PROVIDERS, ResilientGeocoder, online_geocoder
from components.geo.learned import LearnedPlaces
from components.geo.overrides import DEFAULT_PLACES_FILE
from components.table.errors import EventFileError, GeocodeInputError
from components.table.events import printable, utf16_as_utf8
from components.table.files import write_text_atomically
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    GEO_PRECISION,
    GEOCODER,
    LATITUDE,
    LOCATION,
    LONGITUDE,
    MATCHED_NAME,
)

__all__ = ["ADDED_COLUMNS", "GeocodeSummary", "geocode_file"]

ADDED_COLUMNS = (LATITUDE, LONGITUDE, GEO_PRECISION, GEOCODER, MATCHED_NAME)
# Runs with fewer rows than this finish before a progress bar would be worth reading.
PROGRESS_MIN_ROWS = 200


@dataclass(frozen=True, slots=True)
class GeocodeSummary:
    """Counts of one geocode run; str() is the summary line the command prints."""

    rows: int
    found: int
    not_found: int
    from_cache: int
    manual: int = 0
    fallbacks: int = 0
    learned: int = 0
    # Why rows were not placed beyond "not found" (an unreadable country): reason → rows.
    problems: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        line = (
            f"{self.rows:,} rows: {self.found:,} found, {self.not_found:,} not found, "
            f"{self.from_cache:,} from cache"
        )
        if self.manual:
            line += f", {self.manual:,} from the places file"
        if self.learned:
            line += f", {self.learned:,} from learned places"
        if self.fallbacks:
            line += f", {self.fallbacks:,} places answered offline after the provider failed"
        for reason, rows in self.problems:
            line += f"\n  {rows:,} rows not placed: {reason}"
        return line


def geocode_file(
    input: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    column: str = LOCATION,
    country_column: str = COUNTRY,
    admin1_column: str = ADMIN1,
    admin2_column: str = ADMIN2,
    provider: str = "offline",
    domain: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
    places_file: str | os.PathLike[str] | None = DEFAULT_PLACES_FILE,
    geocoder: ResilientGeocoder | None = None,
    learned: LearnedPlaces | str | None = DEFAULT_LEARNED,
) -> GeocodeSummary:
    """Write ``input`` to ``out`` with latitude, longitude, geo_precision, geocoder and
    matched_name added (empty where nothing was found), every row and column kept.

    Rows that already have coordinates keep them. Answers are kept in the geocode cache in
    ``cache_dir``, saved as the run goes and when it is interrupted, so a run started again
    resumes where it stopped. Raises GeocodeInputError with a one-line reason on unusable
    input, UnknownProviderError on an unknown provider.
    """
    input_path, out_path = Path(input), Path(out)
    table = read_text_table(input_path)
    if column not in table.columns:
        raise GeocodeInputError(str(input_path), _no_column(column, table))
    if provider not in PROVIDERS:
        raise GeocodeInputError(
            str(input_path),
            f"unknown provider {provider!r}; valid options are {', '.join(PROVIDERS)}",
        )
    work = _work_frame(table, column, country_column, admin1_column, admin2_column)
    directory = resolve_cache_dir(cache_dir)
    cache = GeocodeCache(directory / CACHE_FILE)
    if geocoder is None:
        offline = GazetteerGeocoder(cache_dir=directory, places_file=None)
        if provider != "offline":
            geocoder = ResilientGeocoder(online_geocoder(provider, domain=domain), fallback=offline)
    tally = GeocodeTally()
    bar = _ProgressBar(sys.stderr) if progress and len(table) >= PROGRESS_MIN_ROWS else None
    try:
        placed = geocode_events(
            work,
            geocoder=geocoder or offline,
            cache=cache,
            cache_dir=directory,
            places_file=places_file,
            learned=learned,
            tally=tally,
            progress=bar.update if bar else None,
        )
    finally:
        if bar is not None:
            bar.close()
    for name in ADDED_COLUMNS:
        table[name] = placed[name].array
    _write_table(table, out_path)
    return GeocodeSummary(
        rows=tally.rows,
        found=tally.found,
        not_found=tally.not_found,
        from_cache=tally.from_cache,
        manual=tally.manual,
        fallbacks=tally.fallbacks,
        learned=tally.learned,
        problems=tuple(tally.problems.items()),
    )


# ---------------------------------------------------------------------------------------
# Helpers


def read_text_table(path: Path) -> pd.DataFrame:
    """Every cell as text, exactly as written (nothing turned into NaN or numbers)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GeocodeInputError(str(path), "no such file") from None
    except OSError as error:
        raise GeocodeInputError(str(path), f"cannot be read ({error.strerror})") from error
    try:
        raw = utf16_as_utf8(raw, str(path))
    except EventFileError as error:
        raise GeocodeInputError(str(path), error.reason) from error
    if b"\x00" in raw[:4096]:
        raise GeocodeInputError(str(path), "is not a text (CSV) file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise GeocodeInputError(str(path), "is empty: expected a CSV file with a header row")
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, sep=_delimiter(text)
        )
    except (pd.errors.ParserError, csv.Error) as error:
        reason = str(error).splitlines()[0]
        raise GeocodeInputError(str(path), f"is not readable as CSV ({reason})") from error


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab a spreadsheet export used instead."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _no_column(column: str, table: pd.DataFrame) -> str:
    shown = [printable(str(c)) for c in table.columns[:20]]
    if len(table.columns) > 20:
        shown.append(f"… {len(table.columns) - 20:,} more")
    columns = ", ".join(shown) or "none"
    return f"no column {column!r} to geocode (columns: {columns}); choose one with --column"


def _work_frame(
    table: pd.DataFrame, column: str, country_column: str, admin1_column: str, admin2_column: str
) -> pd.DataFrame:
    """The columns geocode_events reads, taken from the input under their names here."""
    work = pd.DataFrame(index=table.index)
    work[LOCATION] = table[column]
    work[COUNTRY] = table[country_column] if country_column in table.columns else ""
    # The province and district choose among namesakes (absent columns: not used).
    for name, source in ((ADMIN1, admin1_column), (ADMIN2, admin2_column)):
        if source in table.columns and source != column:
            work[name] = table[source]
    for name in ADDED_COLUMNS:
        if name in table.columns:
            work[name] = table[name]
    if LATITUDE in work and LONGITUDE in work:
        # Coordinates that are not numbers on the globe (95, 200; nan; inf) are no place:
        # the row is geocoded by its name instead of passing them on as the source's.
        latitude = pd.to_numeric(work[LATITUDE], errors="coerce")
        longitude = pd.to_numeric(work[LONGITUDE], errors="coerce")
        unusable = ~(latitude.between(-90, 90) & longitude.between(-180, 180))
        for name in ADDED_COLUMNS:
            if name in work:
                work.loc[unusable, name] = ""
    return work


def _write_table(table: pd.DataFrame, path: Path) -> None:
    try:
        cells = table.astype(object).where(table.notna(), "")
        rows = [list(table.columns), *cells.itertuples(index=False, name=None)]
        write_text_atomically(path, csv_text(rows))
    except OSError as error:
        raise GeocodeInputError(str(path), f"cannot be written ({error.strerror})") from error


class _ProgressBar:
    """A tqdm progress bar of rows done on a terminal stream."""

    def __init__(self, stream: TextIO) -> None:
        self._bar = tqdm(total=0, unit=" rows", desc="geocoding", file=stream, mininterval=0.2)

    def update(self, done: int, total: int) -> None:
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()
