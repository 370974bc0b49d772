"""Likely duplicates: events of the same type, a day or so apart, a few kilometres apart.

Two reports of one strike often arrive as two events. These are suggestions for the analyst,
who merges them with ``sources.merge_events``; nothing here changes the table.

Events are binned by day and by a grid of cubes (as wide as the distance asked) over the
globe's surface in 3-D, so only events in neighbouring bins are compared: the work grows
with the number of events, not its square, and the grid has no seam at the date line or the
poles. Coarse dates (month, year) compare by their first day.

The work per event is bounded too: datasets place many events at a town's centre, and 3,000
events at one spot and day make 4.5 million pairs. Each event is compared with at most
MAX_NEIGHBOURS events of each neighbouring bin (enough to join them all into one group), and
at most MAX_PAIRS pairs are returned; the result's ``attrs["note"]`` then says what was left
out.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from components.geo.distance import EARTH_RADIUS_KM, km_arrays
from components.table import schema as s
from components.view.detail import describe_dates, format_range

__all__ = [
    "MAX_NEIGHBOURS",
    "MAX_PAIRS",
    "MEMBER_COLUMNS",
    "PAIR_COLUMNS",
    "duplicate_groups",
    "group_members",
    "likely_duplicates",
]

MAX_NEIGHBOURS = 20
MAX_PAIRS = 10_000


PAIR_COLUMNS: tuple[str, ...] = (
    "group",
    "event_id",
    "other_id",
    "distance_km",
    "day_gap",
    s.EVENT_TYPE,
    "date",
    "other_date",
    "location",
    "other_location",
)


def likely_duplicates(events: pd.DataFrame, *, days: int = 1, km: float = 5.0) -> pd.DataFrame:
    """Pairs of events of the same type at most ``days`` apart and at most ``km`` apart.

    One row per pair (``event_id`` is the one earlier in the table), with the distance in
    km, the gap in days, and ``group``: pairs that share an event share a group number, so
    three reports of one strike make one group. Events without coordinates or a date are
    skipped. Sorted by group, then distance.
    """
    if days < 0 or km <= 0:
        raise ValueError(f"days must be 0 or more and km above 0 (got days={days}, km={km})")
    placed = events[
        events[s.LATITUDE].notna() & events[s.LONGITUDE].notna() & events[s.DATE_START].notna()
    ]
    pairs, crowded = _candidate_pairs(placed, days, km)
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PAIR_COLUMNS})

    first, second = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    latitude = placed[s.LATITUDE].to_numpy(dtype="float64")
    longitude = placed[s.LONGITUDE].to_numpy(dtype="float64")
    distance = km_arrays(latitude[first], longitude[first], latitude[second], longitude[second])
    day = _day_numbers(placed)
    gap = np.abs(day[first] - day[second])
    close = distance <= km
    first, second, distance, gap = first[close], second[close], distance[close], gap[close]

    ids = placed[s.EVENT_ID].to_numpy(dtype=object)
    dates = placed[s.DATE_START].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    places = placed[s.LOCATION].fillna("").astype(str).to_numpy(dtype=object)
    result = pd.DataFrame(
        {
            "group": _groups(first, second),
            "event_id": ids[first],
            "other_id": ids[second],
            "distance_km": np.round(distance, 2),
            "day_gap": gap.astype("int64"),
            s.EVENT_TYPE: placed[s.EVENT_TYPE].to_numpy(dtype=object)[first],
            "date": dates[first],
            "other_date": dates[second],
            "location": places[first],
            "other_location": places[second],
        }
    )
    result = result.sort_values(["group", "distance_km", "event_id"], kind="stable")
    result = result.reset_index(drop=True)
    notes = []
    if crowded:
        notes.append(
            f"{crowded:,} events share a spot with more than {MAX_NEIGHBOURS} others: each was "
            f"compared with {MAX_NEIGHBOURS} of them, enough to group them"
        )
    if len(result) > MAX_PAIRS:
        notes.append(f"the first {MAX_PAIRS:,} of {len(result):,} pairs are listed")
        result = result.iloc[:MAX_PAIRS]
    result.attrs["note"] = "; ".join(notes)
    return result


def duplicate_groups(pairs: pd.DataFrame) -> list[list[str]]:
    """The event ids of each group in ``likely_duplicates``' result, in table order."""
    groups = []
    for _, group in pairs.groupby("group", sort=True):
        ids = pd.concat([group["event_id"], group["other_id"]])
        groups.append(list(dict.fromkeys(ids)))
    return groups


# What an analyst compares before merging, one row per member of a group.
MEMBER_COLUMNS: tuple[str, ...] = ("event", "date", "place", "type", "killed", "source")


def group_members(events: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The events of one group side by side: date, place, type, killed and source of each,
    in the order of ``ids``, as plain text."""
    by_id = events.drop_duplicates(s.EVENT_ID).set_index(s.EVENT_ID)
    rows = []
    for event_id in ids:
        if event_id not in by_id.index:
            continue
        event = by_id.loc[event_id]
        place = ", ".join(
            dict.fromkeys(str(event[c]) for c in (s.LOCATION, s.ADMIN1, s.COUNTRY) if event[c])
        )
        rows.append(
            (
                event_id,
                describe_dates(event[s.DATE_START], event[s.DATE_END], event[s.DATE_PRECISION]),
                place or "no place reported",
                event[s.EVENT_TYPE] or "no type",
                format_range(event[s.KILLED_MIN], event[s.KILLED_MAX]),
                _source(event),
            )
        )
    return pd.DataFrame(rows, columns=list(MEMBER_COLUMNS), dtype=object)


def _source(event: pd.Series) -> str:
    """'SOHR, 2018-02-08 (3 sources recorded)', or 'not recorded'."""
    parts = [str(event[c]) for c in (s.SOURCE_NAME, s.SOURCE_DATE) if event[c]]
    if not parts and event.get(s.SOURCE_URL):
        parts = [str(event[s.SOURCE_URL])]
    text = ", ".join(parts) or "not recorded"
    count = event.get(s.SOURCE_COUNT)
    if count is not None and not pd.isna(count) and int(count) > 1:
        text += f" ({int(count)} sources recorded)"
    return text


# --- helpers -----------------------------------------------------------------------------------


def _candidate_pairs(placed: pd.DataFrame, days: int, km: float) -> tuple[pd.DataFrame, int]:
    """(i, j) positions, i < j, of events in the same type and neighbouring day and space bins;
    and how many events had more candidates in one bin than MAX_NEIGHBOURS."""
    if len(placed) < 2:
        return pd.DataFrame({"i": [], "j": []}, dtype="int64"), 0
    latitude = np.radians(placed[s.LATITUDE].to_numpy(dtype="float64"))
    longitude = np.radians(placed[s.LONGITUDE].to_numpy(dtype="float64"))
    # A cube as wide as the distance: two points within it along the surface (the chord is
    # shorter than the arc) are never more than one cube apart on any axis.
    cell = km / EARTH_RADIUS_KM
    bins = pd.DataFrame(
        {
            "type": pd.factorize(placed[s.EVENT_TYPE].fillna("").astype(str))[0],
            "day": _day_numbers(placed),
            "x": np.floor(np.cos(latitude) * np.cos(longitude) / cell).astype("int64"),
            "y": np.floor(np.cos(latitude) * np.sin(longitude) / cell).astype("int64"),
            "z": np.floor(np.sin(latitude) / cell).astype("int64"),
        }
    )
    here = _bin_key(bins, 0, 0, 0, 0)
    order = np.argsort(here, kind="stable")
    sorted_keys = here[order]
    found = []
    crowded = np.zeros(len(placed), dtype=bool)
    for day_shift in range(days + 1):
        for dx, dy, dz in itertools.product((-1, 0, 1), repeat=3):
            # Each event j looks for the events i whose bin is j's bin shifted by these steps.
            # A shift adds a constant to the key, so in key order the queries are (almost)
            # sorted too, which keeps the binary searches in cache.
            shifted = _bin_key(bins, day_shift, dx, dy, dz)[order]
            start = np.searchsorted(sorted_keys, shifted, side="left")
            count = np.searchsorted(sorted_keys, shifted, side="right") - start
            # At most MAX_NEIGHBOURS per bin: the work stays linear in the number of events.
            crowded[order[count > MAX_NEIGHBOURS]] = True
            count = np.minimum(count, MAX_NEIGHBOURS)
            j = np.repeat(order, count)
            step = np.arange(len(j)) - np.repeat(np.cumsum(count) - count, count)
            i = order[np.repeat(start, count) + step]
            # Within one day each pair is met from both sides; across days from one side only.
            keep = i < j if day_shift == 0 else np.ones(len(i), dtype=bool)
            found.append(np.column_stack([i[keep], j[keep]]))
    pairs = np.concatenate(found)
    first, second = pairs.min(axis=1), pairs.max(axis=1)
    # The bin keys are hashed into one number; a collision could pair events from other bins,
    # so the type and the day gap are checked again here (the distance is checked by the caller).
    same = (bins["type"].to_numpy()[first] == bins["type"].to_numpy()[second]) & (
        np.abs(bins["day"].to_numpy()[first] - bins["day"].to_numpy()[second]) <= days
    )
    ordered = pd.DataFrame({"i": first[same], "j": second[same]})
    return ordered.drop_duplicates().reset_index(drop=True), int(crowded.sum())


def _bin_key(bins: pd.DataFrame, day_shift: int, dx: int, dy: int, dz: int) -> np.ndarray:
    """One int64 per event for its (type, day, x, y, z) bin shifted by the given steps."""
    key = bins["type"].to_numpy(dtype="int64")
    with np.errstate(over="ignore"):
        for column, shift in (("day", day_shift), ("x", dx), ("y", dy), ("z", dz)):
            key = key * np.int64(1_000_003) + (bins[column].to_numpy(dtype="int64") + shift)
    return key


def _day_numbers(placed: pd.DataFrame) -> np.ndarray:
    return (placed[s.DATE_START].dt.normalize() - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype="int64"
    )


def _groups(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A group number per pair: pairs linked through a shared event share one (1, 2, ...)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in zip(first.tolist(), second.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = [root(a) for a in first.tolist()]
    # Number groups by the earliest event in each, so the numbering follows the table.
    numbers = {r: n for n, r in enumerate(sorted(set(roots)), start=1)}
    return np.array([numbers[r] for r in roots], dtype="int64")


def _dtype(column: str) -> str:
    return {"group": "int64", "distance_km": "float64", "day_gap": "int64"}.get(column, "object")
