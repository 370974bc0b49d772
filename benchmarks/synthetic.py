"""Synthetic events for the benchmarks, clearly marked: ids ``synthetic-0000001``, source name
"synthetic benchmark data", places and actors named "Synthetic …". Written to a temporary
folder by the benchmark and never shipped as data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from components.table import schema as s

__all__ = ["SYNTHETIC_SOURCE", "synthetic_chunks", "synthetic_events", "write_synthetic_csv"]

SYNTHETIC_SOURCE = "synthetic benchmark data"
# Rows generated at a time: ten million events are written without holding them all.
CHUNK = 1_000_000
# A share of the rows name a place instead of giving coordinates, as news-coded rows do.
NAMED_PLACE_SHARE = 0.2

# Real places the offline gazetteer knows, with their countries: the rows without coordinates
# name these, so geocoding is exercised as it is with real data.
_NAMED_PLACES: tuple[tuple[str, str, str], ...] = (
    ("Aleppo", "Aleppo", "Syria"),
    ("Idlib", "Idlib", "Syria"),
    ("Homs", "Homs", "Syria"),
    ("Raqqa", "Raqqa", "Syria"),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria"),
    ("Sanaa", "Sanaa", "Yemen"),
    ("Taiz", "Taiz", "Yemen"),
    ("Marib", "Marib", "Yemen"),
    ("Mosul", "Nineveh", "Iraq"),
    ("Kirkuk", "Kirkuk", "Iraq"),
    ("Fallujah", "Anbar", "Iraq"),
    ("Kabul", "Kabul", "Afghanistan"),
    ("Kandahar", "Kandahar", "Afghanistan"),
    ("Gaza", "Gaza Strip", "Palestine"),
    ("Kharkiv", "Kharkiv", "Ukraine"),
    ("Donetsk", "Donetsk", "Ukraine"),
    ("Mogadishu", "Banaadir", "Somalia"),
    ("Tripoli", "Tripoli", "Libya"),
    ("Maiduguri", "Borno", "Nigeria"),
    ("El Fasher", "North Darfur", "Sudan"),
    ("Gao", "Gao", "Mali"),
    ("Nowhere-on-any-map", "", "Syria"),
)
# (latitude, longitude, spread in degrees, weight): where the synthetic strikes cluster.
_HOTSPOTS: tuple[tuple[float, float, float, float], ...] = (
    (35.0, 38.5, 1.5, 0.25),
    (15.5, 45.0, 1.5, 0.15),
    (34.0, 43.5, 1.5, 0.12),
    (34.0, 67.0, 2.0, 0.10),
    (48.5, 36.5, 1.5, 0.12),
    (3.0, 45.0, 2.0, 0.06),
    (12.0, 13.0, 2.5, 0.06),
    (14.0, 25.0, 3.0, 0.06),
    (15.0, 0.0, 3.0, 0.04),
    (10.0, 0.0, 60.0, 0.04),
)
_EVENT_TYPES = (
    ("Air/drone strike", 0.45),
    ("Shelling/artillery/missile attack", 0.4),
    ("Remote explosive/landmine/IED", 0.1),
    ("Suicide bomb", 0.05),
)


def synthetic_events(count: int, seed: int = 0, *, first: int = 1, width: int = 0) -> pd.DataFrame:
    """``count`` synthetic events as canonical text columns, clearly marked as synthetic.

    Ids run from ``first``, zero-padded to ``width`` digits (by default, those of ``count``).
    """
    rng = np.random.default_rng(seed)
    width = width or max(6, len(str(count)))
    ids = pd.Series(np.arange(first, first + count)).astype(str).str.zfill(width)
    days = rng.integers(0, 15 * 365, count)
    start = pd.Timestamp("2010-01-01") + pd.to_timedelta(days, unit="D")
    lasting = rng.random(count) < 0.1
    end = start + pd.to_timedelta(rng.integers(1, 4, count), unit="D")
    coarse = rng.random(count)
    precision = np.where(coarse < 0.9, "day", np.where(coarse < 0.95, "week", "month"))
    types, weights = zip(*_EVENT_TYPES, strict=True)
    hotspot = rng.choice(len(_HOTSPOTS), count, p=[h[3] for h in _HOTSPOTS])
    centre = np.array([h[:3] for h in _HOTSPOTS])[hotspot]
    latitude = np.clip(centre[:, 0] + rng.normal(0, 1, count) * centre[:, 2], -80, 80)
    longitude = (centre[:, 1] + rng.normal(0, 1, count) * centre[:, 2] * 1.5 + 180) % 360 - 180
    named = rng.random(count) < NAMED_PLACE_SHARE
    place = rng.integers(0, len(_NAMED_PLACES), count)
    places = pd.DataFrame(_NAMED_PLACES, columns=[s.LOCATION, s.ADMIN1, s.COUNTRY]).iloc[place]
    killed = np.floor(rng.pareto(1.2, count) * 2).astype("int64")
    killed_known = rng.random(count) < 0.8
    killed_extra = np.where(rng.random(count) < 0.3, rng.integers(1, 20, count), 0)
    injured = np.floor(rng.pareto(1.0, count) * 3).astype("int64")
    injured_known = rng.random(count) < 0.5
    actor = rng.integers(0, 400, (2, count))
    geo_precision = rng.choice(np.array(["1", "2", "3"]), count, p=[0.7, 0.2, 0.1])

    def text(values: np.ndarray, known: np.ndarray) -> np.ndarray:
        return np.where(known, values.astype(str), "")

    def coordinate(values: np.ndarray) -> np.ndarray:
        return np.where(named, "", np.char.mod("%.5f", values))

    frame = pd.DataFrame(
        {
            s.EVENT_ID: "synthetic-" + ids,
            s.DATE_START: start.strftime("%Y-%m-%d"),
            s.DATE_END: np.where(lasting, end.strftime("%Y-%m-%d"), ""),
            s.DATE_PRECISION: precision,
            s.EVENT_TYPE: np.array(types)[rng.choice(len(types), count, p=weights)],
            s.ACTOR1: np.char.add("Synthetic armed group ", actor[0].astype(str)),
            s.ACTOR2: np.char.add("Synthetic target group ", actor[1].astype(str)),
            s.COUNTRY: np.where(named, places[s.COUNTRY].to_numpy(), "Synthetic country"),
            s.ADMIN1: np.where(named, places[s.ADMIN1].to_numpy(), ""),
            s.LOCATION: np.where(
                named,
                places[s.LOCATION].to_numpy(),
                np.char.add("Synthetic place ", (hotspot * 1000 + place).astype(str)),
            ),
            s.LATITUDE: coordinate(latitude),
            s.LONGITUDE: coordinate(longitude),
            s.GEO_PRECISION: geo_precision,
            s.KILLED_MIN: text(killed, killed_known),
            s.KILLED_MAX: text(killed + killed_extra, killed_known),
            s.INJURED_MIN: text(injured, injured_known),
            s.INJURED_MAX: text(injured, injured_known),
            s.SOURCE_NAME: SYNTHETIC_SOURCE,
            s.SOURCE_DATE: start.strftime("%Y-%m-%d"),
            s.SOURCE_LANGUAGE: "en",
            s.SOURCE_TEXT: "Synthetic benchmark event "
            + ids
            + ": not a real report. A strike was reported near the place named in this row, "
            "with the casualty figures given in its columns.",
        }
    )
    return frame.reindex(columns=list(s.CANONICAL_COLUMNS), fill_value="")


def write_synthetic_csv(path: Path, count: int, seed: int = 0) -> Path:
    """Write ``count`` synthetic events to ``path`` as a canonical events CSV, a chunk at a time."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        for number, chunk in enumerate(synthetic_chunks(count, seed)):
            chunk.to_csv(handle, index=False, header=number == 0)
    return path


def synthetic_chunks(count: int, seed: int = 0, chunk: int = CHUNK):
    """``count`` synthetic events in frames of at most ``chunk`` rows, with unique ids."""
    width = max(6, len(str(count)))
    for number, first in enumerate(range(0, count, chunk)):
        size = min(chunk, count - first)
        yield synthetic_events(size, seed + number, first=first + 1, width=width)
