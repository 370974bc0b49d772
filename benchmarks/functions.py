"""The function-level benchmark: load, filter and map layer of synthetic events, measured in
a child process per step, so one size's memory does not count towards another."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pandas as pd

from components.table import schema as s

__all__ = ["CHILDREN", "row", "table"]


# --- what each child process measures ---------------------------------------------------------


# Filter changes as the page makes them: each is followed by the counts, the timeline of the
# events the other filters keep, and the map layer of what is left.
def _filter_changes(events: pd.DataFrame) -> list[tuple[str, object]]:
    from components.view.filters import EventFilter, actors
    from components.view.timeline import preset_window

    first, last = preset_window(events, 365)
    some_actor = actors(events)[:1]
    return [
        ("killed at least 10", EventFilter(killed=(10, None))),
        ("last 365 days", EventFilter(date_from=first, date_to=last)),
        ("air/drone strikes", EventFilter(event_types=frozenset({"Air/drone strike"}))),
        ("one actor", EventFilter(actors=frozenset(some_actor))),
        ("exact places and dates", EventFilter(exact_only=True)),
        ("no filter", EventFilter()),
    ]


# A view into the densest synthetic area, as after clicking a cell: at 1M events a few
# thousand are in it, under the threshold, so it is the costliest view drawn event by event.
_ZOOMED_VIEW = (34.85, 38.3, 35.15, 38.7, 11)


def _measure_cold(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    return _measure(csv_path, cache_dir, naive=False)


def _measure_warm(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    events, seconds = _load(csv_path, cache_dir)
    return {"load": seconds, "peak_mb": _peak_mb(), "events": len(events)}


def _measure_naive(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    return _measure(csv_path, cache_dir, naive=True)


def _measure(csv_path: Path, cache_dir: Path, *, naive: bool) -> dict[str, object]:
    from components.map import layer as map_layer
    from components.view.filters import EventFilter, count_events, filter_events
    from components.view.timeline import bin_width, timeline_counts

    events, load_seconds = _load(csv_path, cache_dir, use_cache=not naive)
    colours = map_layer.colours_for(events[s.EVENT_TYPE])
    first, last = events[s.DATE_START].min(), events[s.DATE_START].max()
    period = bin_width(first, last)
    # The page opens with every event on the map: not a filter change, but it warms up what
    # later changes reuse (template compilation, the frame's memory layout).
    opened = filter_events(events, EventFilter())
    _sent_text(_naive_layer(opened[:100], colours) if naive else map_layer.view_layer(opened).layer)
    filter_seconds, layer_seconds, world_bytes = [], [], 0
    for _, event_filter in _filter_changes(events):
        started = time.perf_counter()
        shown = filter_events(events, event_filter)
        count_events(events, shown)
        timeline_counts(shown, period, first.date(), last.date())
        filtered = time.perf_counter()
        if naive:
            text = _sent_text(_naive_layer(shown, colours))
        else:
            text = _sent_text(map_layer.view_layer(shown, colours=colours).layer)
        filter_seconds.append(filtered - started)
        layer_seconds.append(time.perf_counter() - filtered)
        world_bytes = max(world_bytes, len(text.encode()))
    south, west, north, east, zoom = _ZOOMED_VIEW
    view = map_layer.Bounds(south, west, north, east)
    if naive:
        zoomed, zoomed_mode = world_bytes, "every event"
    else:
        started = time.perf_counter()
        layer = map_layer.view_layer(events, bounds=view, zoom=zoom, colours=colours)
        text = _sent_text(layer.layer)
        layer_seconds.append(time.perf_counter() - started)
        zoomed, zoomed_mode = len(text.encode()), f"{layer.features:,} {layer.mode}"
    return {
        "events": len(events),
        "load": load_seconds,
        "filter": max(filter_seconds),
        "layer": max(layer_seconds),
        # The worst case: the slowest filter, then the slowest view to draw.
        "total": max(filter_seconds) + max(layer_seconds),
        "world_bytes": world_bytes,
        "zoomed_bytes": zoomed,
        "zoomed_mode": zoomed_mode,
        "peak_mb": _peak_mb(),
    }


def _load(csv_path: Path, cache_dir: Path, *, use_cache: bool = True):
    """Load as the page does; the events cache goes to ``cache_dir``, the gazetteer is shared."""
    from components.geo.overrides import DEFAULT_PLACES_FILE
    from components.table import cache as event_cache
    from components.table import pipeline

    def fresh():
        return pipeline.load_placed_events(csv_path, DEFAULT_PLACES_FILE, use_cache=False)

    started = time.perf_counter()
    if use_cache:
        loaded = event_cache.cached_load(csv_path, DEFAULT_PLACES_FILE, fresh, cache_dir=cache_dir)
    else:
        loaded = fresh()
    return loaded.events, time.perf_counter() - started


def _naive_layer(events: pd.DataFrame, colours: dict[str, str]):
    """The usual approach: one folium.Marker with a tooltip per event."""
    import folium

    layer = folium.FeatureGroup(name="Events")
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    for row in placed.itertuples(index=False):
        label = f"{getattr(row, s.EVENT_TYPE)} · {getattr(row, s.LOCATION)}"
        folium.Marker([getattr(row, s.LATITUDE), getattr(row, s.LONGITUDE)], tooltip=label).add_to(
            layer
        )
    return layer


def _sent_text(layer) -> str:
    """The JavaScript st_folium sends to the browser for a layer (its feature_group_to_add)."""
    from components.map import layer as map_layer

    fmap = map_layer.base_map((30.0, 40.0), 2)
    try:
        from streamlit_folium import _get_feature_group_string
    except ImportError:  # another streamlit-folium: the layer rendered in its map instead
        layer.add_to(fmap)
        return fmap.get_root().render()
    return _get_feature_group_string(layer, fmap)


def _peak_mb() -> float:
    """The peak resident memory of this process, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


CHILDREN = {
    "cold": _measure_cold,
    "warm": _measure_warm,
    "naive": _measure_naive,
}


# --- the table --------------------------------------------------------------------------------


def row(size: str, how: str, csv_path: Path, first: dict, warm: dict | None) -> list[str]:
    return [
        size,
        how,
        f"{csv_path.stat().st_size / 1e6:,.0f}",
        f"{first['load']:.1f}",
        f"{warm['load']:.1f}" if warm else "—",
        f"{first['filter']:.2f}",
        f"{first['layer']:.2f}",
        f"{first['total']:.2f}",
        _megabytes(first["world_bytes"]),
        f"{_megabytes(first['zoomed_bytes'])} ({first['zoomed_mode']})",
        f"{max(first['peak_mb'], warm['peak_mb'] if warm else 0):,.0f}",
    ]


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 10_000 else f"{count / 1e3:.1f} kB"


_HEADER = (
    "events",
    "map",
    "CSV MB",
    "load cold s",
    "load warm s",
    "filter s (max)",
    "layer build s (max)",
    "filter + layer s (worst)",
    "sent, whole world (max)",
    "sent, zoomed in",
    "peak memory MB",
)


def table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
