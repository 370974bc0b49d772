"""The time window: histograms, the date slider, presets, typed dates and playback.

The window lives in the slider's session state; the page's address carries it as two ISO
days (``dates=2018-02-08&dates=2018-02-28``) however it was set, and older links written in
epoch microseconds still open. Presets, typed dates and playback all move the slider.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from components.table import schema as s
from components.ui import state
from components.view import timeline

__all__ = [
    "PLAY_INTERVAL_SECONDS",
    "TimeSource",
    "advance_playback",
    "frame_source",
    "playing",
    "query_source",
    "time_window",
]

# The histograms' row in pixels, as drawn (a caption over a 120 px chart and its axis): kept
# while they wait for the map, so that the slider does not move when they arrive.
CHARTS_HEIGHT = 181
PRESETS: dict[str, int | None] = {
    "Last 7 days": 7,
    "Last 30 days": 30,
    "Last 90 days": 90,
    "All": None,
}
# True: the window keeps its width and moves; False: it grows from the chosen start.
PLAY_MODES: dict[str, bool] = {"Moving": True, "Growing": False}
# Seconds between two steps of playback; a setting, so that a test or a demo can play faster.
PLAY_INTERVAL_SECONDS = float(os.environ.get("STRIKEMAP_PLAY_INTERVAL", "1.5"))
WINDOW_SHADE = "#f2c14e"


def playing() -> bool:
    return bool(st.session_state.get(state.PLAYING, False))


def advance_playback() -> None:
    """On a timer's rerun, move the window to playback's next frame (or stop at the end).

    Called before the slider is drawn. Other reruns (a click on the map) come sooner than an
    interval after the last step and leave the window where it is.
    """
    if not playing():
        return
    now = time.monotonic()
    if now - st.session_state.get(state.LAST_STEP, 0.0) < PLAY_INTERVAL_SECONDS * 0.9:
        return
    st.session_state[state.LAST_STEP] = now
    frames = st.session_state.get(state.PLAY_FRAMES) or []
    if frames:
        st.session_state[state.WINDOW] = frames[0]
        st.session_state[state.PLAY_FRAMES] = frames[1:]
    else:
        st.session_state[state.PLAYING] = False
        # The whole page runs once more, without the playback timer.
        st.rerun(scope="app")


@dataclass(frozen=True)
class TimeSource:
    """What the time window draws on: the data's span, histogram counts per period (with the
    other filters applied) and the days that hold events; ``key`` names what they depend on."""

    span: tuple[dt.date, dt.date] | None
    counts: Callable[[str, dt.date, dt.date], pd.DataFrame]  # timeline_counts' frame
    event_days: Callable[[], np.ndarray]
    key: object


def frame_source(events: pd.DataFrame, other_filtered: pd.DataFrame) -> TimeSource:
    """The time source of a table held in pandas."""

    def days() -> np.ndarray:
        values = other_filtered[s.DATE_START].to_numpy(dtype="datetime64[ns]")
        return values[~np.isnat(values)]

    return TimeSource(
        timeline.data_span(events),
        lambda period, first, last: timeline.timeline_counts(other_filtered, period, first, last),
        days,
        other_filtered,
    )


def query_source(engine, other_filters) -> TimeSource:
    """The time source of a table a query engine holds (components.storage.queries)."""
    return TimeSource(
        engine.date_span(),
        lambda period, first, last: counts_frame(
            engine.period_counts(other_filters, period), period, first, last
        ),
        lambda: engine.event_days(other_filters),
        (engine.version(), other_filters),
    )


def counts_frame(counts: pd.DataFrame, period: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    """An engine's period counts shaped as timeline.timeline_counts shapes them."""
    every = pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq=period).start_time
    frame = pd.DataFrame(
        {"events": counts["events"].to_numpy(), timeline.KILLED: counts["killed"].to_numpy()},
        index=pd.DatetimeIndex(counts["period"]),
    )
    frame = frame.reindex(frame.index.union(every), fill_value=0)
    frame.index = frame.index.strftime(timeline.BIN_FORMATS[period])
    frame.index.name = timeline.BIN_LABELS[period]
    return frame.astype("int64")


def time_window(source: TimeSource) -> tuple[dt.date | None, dt.date | None]:
    """The controls of the time window: the slider, presets, typed dates and playback."""
    days = _slider_days(source)
    if days is None:
        st.info("No events to show: the file has no rows that loaded.")
        return None, None
    first_day, last_day = days
    if state.WINDOW not in st.session_state:
        asked = state.dates_from_param(state.query_list(st.query_params, state.DATES) or None)
        st.session_state[state.WINDOW] = _clamped(asked, first_day, last_day)
    else:
        _set_widget(state.WINDOW, _clamped(st.session_state[state.WINDOW], first_day, last_day))
    chosen = st.slider(
        "Dates",
        min_value=first_day,
        max_value=last_day,
        format="YYYY-MM-DD",
        step=dt.timedelta(days=1),
        key=state.WINDOW,
    )
    if state.query_list(st.query_params, state.DATES) != state.dates_param(chosen):
        st.query_params[state.DATES] = state.dates_param(chosen)
    _window_controls(source, first_day, last_day, chosen)
    return chosen[0], chosen[1]


def histograms(source: TimeSource, window: tuple[dt.date | None, dt.date | None]) -> None:
    """Events and killed per period on a time axis, with the chosen window shaded.

    The charts' code is the browser's heaviest work on opening, and the map should not wait
    for it: until the map has drawn (its first report reruns the page), their place above the
    slider is kept empty.
    """
    days = _slider_days(source)
    if days is None or window[0] is None or window[1] is None:
        return
    if not state.map_has_drawn(st.session_state.get(state.MAP)):
        st.container(height=CHARTS_HEIGHT, border=False)
        return
    _histograms(source, *days, (window[0], window[1]))


def _slider_days(source: TimeSource) -> tuple[dt.date, dt.date] | None:
    """The slider's first and last day: the data's span, widened when it is a single day."""
    if source.span is None:
        return None
    first_day, last_day = source.span
    if first_day == last_day:
        return first_day - dt.timedelta(days=1), last_day + dt.timedelta(days=1)
    return first_day, last_day


def _set_widget(key: str, value: object) -> None:
    """Give a widget a value only when it changes it: each assignment is sent to the browser
    and would undo the steps the user took there since this run began."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def _clamped(
    window: tuple[dt.date, dt.date] | None, first_day: dt.date, last_day: dt.date
) -> tuple[dt.date, dt.date]:
    """A window inside the data's span; the whole span for none or one outside it."""
    if window is None:
        return first_day, last_day
    start, end = max(window[0], first_day), min(window[1], last_day)
    return (start, end) if start <= end else (first_day, last_day)


def _histograms(
    source: TimeSource,
    first_day: dt.date,
    last_day: dt.date,
    window: tuple[dt.date, dt.date],
) -> None:
    """Events and killed per period on a time axis, with the chosen window shaded."""
    period = timeline.bin_width(pd.Timestamp(first_day), pd.Timestamp(last_day))
    counts = _counts_once(source, period, first_day, last_day)
    if counts.empty:
        return
    per = timeline.BIN_LABELS[period]
    charts = (("events", "#4e79a7"), (timeline.KILLED, "#d62728"))
    for column, (series, colour) in zip(st.columns(2), charts, strict=True):
        with column:
            st.caption(
                f"{series.capitalize()} per {per}, with the other filters applied; "
                "the chosen dates shaded"
            )
            st.altair_chart(timeline_chart(counts, series, colour, window, period), width="stretch")


def timeline_chart(
    counts: pd.DataFrame,
    series: str,
    colour: str,
    window: tuple[dt.date, dt.date],
    period: str,
) -> alt.LayerChart:
    """Bars per period on a time axis that names years, over a band for the chosen window."""
    frame = pd.DataFrame(
        {"start": pd.to_datetime(counts.index), "value": counts[series].to_numpy()}
    )
    frame["end"] = frame["start"] + _period_offset(period)
    shade = pd.DataFrame({"from": [pd.Timestamp(window[0])], "to": [pd.Timestamp(window[1])]})
    shade["to"] += pd.Timedelta(days=1)
    axis = alt.Axis(title=None, format="%Y-%m-%d" if period in "DW" else "%Y-%m", labelAngle=0)
    band = (
        alt.Chart(shade)
        .mark_rect(color=WINDOW_SHADE, opacity=0.35)
        .encode(x=alt.X("from:T", axis=axis), x2="to:T")
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(color=colour)
        .encode(
            x=alt.X("start:T", axis=axis),
            x2="end:T",
            y=alt.Y("value:Q", title=None),
            # Bars from zero: with x2 set, Vega-Lite would otherwise draw thin floating marks.
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("start:T", title=timeline.BIN_LABELS[period], format="%Y-%m-%d"),
                alt.Tooltip("value:Q", title=series, format=","),
            ],
        )
    )
    return alt.layer(band, bars).properties(height=120)


def _period_offset(period: str) -> pd.DateOffset:
    return {
        "D": pd.DateOffset(days=1),
        "W": pd.DateOffset(weeks=1),
        "M": pd.DateOffset(months=1),
        "Y": pd.DateOffset(years=1),
    }[period]


def _counts_once(
    source: TimeSource, period: str, first_day: dt.date, last_day: dt.date
) -> pd.DataFrame:
    """The histogram's counts, computed once per set of other filters (not per date step)."""
    key = (period, first_day, last_day)
    memo = st.session_state.get("_timeline_counts")
    # The source's key is compared by identity for a frame (cheap), by value for filters.
    if memo is not None and memo[0] == key and _same(memo[1], source.key):
        return memo[2]
    counts = source.counts(period, first_day, last_day)
    st.session_state["_timeline_counts"] = (key, source.key, counts)
    return counts


def _same(earlier: object, now: object) -> bool:
    if isinstance(now, pd.DataFrame) or isinstance(earlier, pd.DataFrame):
        return earlier is now
    return earlier == now


def _window_controls(
    source: TimeSource,
    first_day: dt.date,
    last_day: dt.date,
    chosen: tuple[dt.date, dt.date],
) -> None:
    """Presets, typed dates and playback, all of which move the date slider."""
    presets, typed_from, typed_to, play = st.columns([6, 2, 2, 2], vertical_alignment="bottom")
    with presets:
        st.segmented_control(
            "Time window",
            list(PRESETS),
            key=state.PRESET,
            on_change=_apply_preset,
            args=(source.span, first_day, last_day),
            help="The last days of the data, counted back from its latest event.",
        )
    limits = {"min_value": first_day, "max_value": last_day, "format": "YYYY-MM-DD"}
    keys = _typed_keys(chosen)
    columns = (typed_from, typed_to)
    for column, label, day, key in zip(columns, ("From", "To"), chosen, keys, strict=True):
        with column:
            st.date_input(
                label, day, key=key, on_change=_apply_typed_dates, args=(*keys, chosen), **limits
            )
    with play:
        _playback_controls(source, last_day, chosen)
    if st.session_state.pop("_swapped_dates", False):
        st.caption("“To” came before “From”: the two dates were swapped.")


def _apply_preset(
    span: tuple[dt.date, dt.date] | None, first_day: dt.date, last_day: dt.date
) -> None:
    preset = st.session_state.get(state.PRESET)
    if preset is None:
        return
    start, end = preset_window(span, PRESETS[preset])
    st.session_state[state.WINDOW] = (max(start, first_day), min(end, last_day))
    st.session_state[state.PRESET] = None


def preset_window(
    span: tuple[dt.date, dt.date] | None, days: int | None
) -> tuple[dt.date, dt.date]:
    """The last ``days`` days of the span (both ends included), all of it for None; as
    timeline.preset_window, from the span alone (a query engine gives no frame)."""
    if span is None:
        today = dt.date.today()
        return today, today
    first_day, last_day = span
    if days is None:
        return first_day, last_day
    return max(first_day, last_day - dt.timedelta(days=days - 1)), last_day


def _typed_keys(window: tuple[dt.date, dt.date]) -> tuple[str, str]:
    """Keys of the typed dates, named by the window they show.

    Each move of the slider makes them new widgets that open on the new window, with nothing
    assigned to them (an assignment is sent to the browser and undoes the user's steps made
    since the run began).
    """
    stamp = f"{window[0]:%Y-%m-%d}_{window[1]:%Y-%m-%d}"
    return f"{state.FROM_TYPED}_{stamp}", f"{state.TO_TYPED}_{stamp}"


def _apply_typed_dates(from_key: str, to_key: str, shown: tuple[dt.date, dt.date]) -> None:
    if playing() or st.session_state.get(state.WINDOW) != shown:
        # Inputs of an older window, their values sent by a browser that had already moved
        # the slider on (or that playback is moving): not a date the user typed.
        return
    start, end = st.session_state.get(from_key), st.session_state.get(to_key)
    if start is None or end is None:
        return
    if end < start:
        st.session_state["_swapped_dates"] = True
    st.session_state[state.WINDOW] = (min(start, end), max(start, end))


def _playback_controls(
    source: TimeSource, last_day: dt.date, chosen: tuple[dt.date, dt.date]
) -> None:
    """Play the time window forward from the chosen one, moving at its width or growing."""
    with st.popover("Playback", icon=":material/pause:" if playing() else ":material/play_arrow:"):
        mode = st.radio("Window", list(PLAY_MODES), key=state.PLAY_MODE, horizontal=True)
        step = st.selectbox("Step", list(timeline.PLAY_STEPS), key=state.PLAY_STEP)
        skip = st.checkbox("Skip periods without events", value=True, key=state.PLAY_SKIP_EMPTY)
        if playing():
            if st.button("Pause", icon=":material/pause:", key="pause"):
                st.session_state[state.PLAYING] = False
                st.rerun(scope="app")
        elif st.button("Play from the chosen dates", icon=":material/play_arrow:", key="play"):
            frames = timeline.playback_windows(
                chosen,
                last_day,
                step,
                moving=PLAY_MODES[mode],
                event_days=source.event_days() if skip else None,
            )
            # The first frame is the window already shown: playback goes on from there.
            st.session_state[state.PLAY_FRAMES] = frames[1:]
            st.session_state[state.PLAYING] = True
            st.session_state[state.LAST_STEP] = time.monotonic()
            st.rerun(scope="app")
