"""The time window: histograms, the date slider, presets, typed dates and playback.

The window lives in the slider's session state, bound to the page's address (``dates``);
presets, typed dates and playback all set it there.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pandas as pd
import streamlit as st

from components.view import timeline

__all__ = ["DATES_KEY", "URL", "time_window"]

DATES_KEY = "dates"
# Widgets bound to the page's address: the key is the query parameter's name.
URL = "query-params"
FROM_KEY, TO_KEY, PRESET_KEY = "date_from_typed", "date_to_typed", "time_preset"
PRESETS: dict[str, int | None] = {
    "Last 7 days": 7,
    "Last 30 days": 30,
    "Last 90 days": 90,
    "All": None,
}
PLAYING_KEY, PLAY_FRAMES_KEY, PENDING_WINDOW_KEY = "playing", "play_frames", "pending_window"
PLAY_MODE_KEY, PLAY_STEP_KEY, LAST_STEP_KEY = "play_mode", "play_step", "play_last_step"
# True: the window keeps its width and moves; False: it grows from the first day.
PLAY_MODES: dict[str, bool] = {"Moving": True, "Growing": False}
PLAY_STEPS: dict[str, int] = {"1 day": 1, "1 week": 7, "1 month": 30}
# Seconds between two steps of playback; a setting, so that a test or a demo can play faster.
PLAY_INTERVAL_SECONDS = float(os.environ.get("STRIKEMAP_PLAY_INTERVAL", "1.5"))


def time_window(
    events: pd.DataFrame, other_filtered: pd.DataFrame
) -> tuple[dt.date | None, dt.date | None]:
    """Histograms of the events the other filters keep, and the controls of the time window."""
    span = timeline.data_span(events)
    if span is None:
        st.info("No events to show: the file has no rows that loaded.")
        return None, None
    first_day, last_day = span
    if first_day == last_day:
        first_day -= dt.timedelta(days=1)
        last_day += dt.timedelta(days=1)
    _apply_pending_window(first_day, last_day)
    period = timeline.bin_width(pd.Timestamp(first_day), pd.Timestamp(last_day))
    counts = timeline.timeline_counts(other_filtered, period, first_day, last_day)
    if not counts.empty:
        per = timeline.BIN_LABELS[period]
        charts = (("events", "#4e79a7"), (timeline.KILLED, "#d62728"))
        for column, (series, colour) in zip(st.columns(2), charts, strict=True):
            with column:
                st.caption(f"{series.capitalize()} per {per}, with the other filters applied")
                st.bar_chart(counts[series], height=120, color=colour, x_label="", y_label="")
    chosen = st.slider(
        "Dates",
        min_value=first_day,
        max_value=last_day,
        # Given only the first time: afterwards the window lives in session state (presets,
        # typed dates and playback set it there) and in the page's address.
        **({} if DATES_KEY in st.session_state else {"value": (first_day, last_day)}),
        format="YYYY-MM-DD",
        step=dt.timedelta(days=1),
        key=DATES_KEY,
        bind=URL,
    )
    _window_controls(events, first_day, last_day, chosen)
    return chosen[0], chosen[1]


def _window_controls(
    events: pd.DataFrame, first_day: dt.date, last_day: dt.date, chosen: tuple[dt.date, dt.date]
) -> None:
    """Presets, typed dates and playback, all of which move the date slider."""
    st.session_state[FROM_KEY], st.session_state[TO_KEY] = chosen
    presets, typed_from, typed_to, play = st.columns([6, 2, 2, 2], vertical_alignment="bottom")
    with presets:
        st.segmented_control(
            "Time window",
            list(PRESETS),
            key=PRESET_KEY,
            on_change=_apply_preset,
            args=(events, first_day, last_day),
            help="The last days of the data, counted back from its latest event.",
        )
    limits = {"min_value": first_day, "max_value": last_day, "format": "YYYY-MM-DD"}
    with typed_from:
        st.date_input("From", key=FROM_KEY, on_change=_apply_typed_dates, **limits)
    with typed_to:
        st.date_input("To", key=TO_KEY, on_change=_apply_typed_dates, **limits)
    with play:
        _playback_controls(first_day, last_day, chosen)


def _apply_preset(events: pd.DataFrame, first_day: dt.date, last_day: dt.date) -> None:
    preset = st.session_state.get(PRESET_KEY)
    if preset is None:
        return
    start, end = timeline.preset_window(events, PRESETS[preset])
    st.session_state[DATES_KEY] = (max(start, first_day), min(end, last_day))
    st.session_state[PRESET_KEY] = None


def _apply_typed_dates() -> None:
    start, end = st.session_state.get(FROM_KEY), st.session_state.get(TO_KEY)
    if start is None or end is None:
        return
    st.session_state[DATES_KEY] = (min(start, end), max(start, end))


def _playback_controls(
    first_day: dt.date, last_day: dt.date, chosen: tuple[dt.date, dt.date]
) -> None:
    """Play the time window forward, growing from the first day or moving at its width."""
    playing = st.session_state.get(PLAYING_KEY, False)
    with st.popover("Playback", icon=":material/pause:" if playing else ":material/play_arrow:"):
        mode = st.radio("Window", list(PLAY_MODES), key=PLAY_MODE_KEY, horizontal=True)
        step = st.selectbox("Step", list(PLAY_STEPS), key=PLAY_STEP_KEY)
        if playing:
            if st.button("Pause", icon=":material/pause:", key="pause"):
                st.session_state[PLAYING_KEY] = False
                st.rerun()
        elif st.button("Play", icon=":material/play_arrow:", key="play"):
            width = (chosen[1] - chosen[0]).days + 1
            st.session_state[PLAY_FRAMES_KEY] = timeline.playback_windows(
                first_day, last_day, PLAY_STEPS[step], width if PLAY_MODES[mode] else None
            )
            st.session_state[PLAYING_KEY] = True
            st.rerun()
    if playing:
        _playback_tick()


@st.fragment(run_every=PLAY_INTERVAL_SECONDS)
def _playback_tick() -> None:
    """Every interval, the next window of the playback; the whole page redraws for it."""
    # A fragment's body also runs inside every full run of the page: only the timer, an
    # interval after the last step, may take the next step.
    now = time.monotonic()
    if now - st.session_state.get(LAST_STEP_KEY, 0.0) < PLAY_INTERVAL_SECONDS * 0.9:
        return
    st.session_state[LAST_STEP_KEY] = now
    frames = st.session_state.get(PLAY_FRAMES_KEY) or []
    if frames:
        # The slider cannot be changed once drawn in this run: the next run applies it.
        st.session_state[PENDING_WINDOW_KEY] = frames[0]
        st.session_state[PLAY_FRAMES_KEY] = frames[1:]
    else:
        st.session_state[PLAYING_KEY] = False
    st.rerun(scope="app")


def _apply_pending_window(first_day: dt.date, last_day: dt.date) -> None:
    pending = st.session_state.pop(PENDING_WINDOW_KEY, None)
    if pending is not None:
        start, end = pending
        st.session_state[DATES_KEY] = (max(start, first_day), min(end, last_day))
