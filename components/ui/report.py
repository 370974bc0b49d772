"""The "Add report" page: paste or upload a news report, check the draft events, save them.

Every value the analyst types lives in ``st.session_state`` (and a copy outside the widget
keys, so that leaving the page and coming back keeps it); a failed save keeps everything.
Report text is untrusted: it is shown only HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pandas as pd
import streamlit as st

from components import storage
from components.coding.coder import MAX_REPORT_BYTES, CodedReport, Evidence, code_report
from components.coding.places import PlaceMention, place_fields
from components.coding.strikes import AIR_STRIKE, SHELLING
from components.geo import overrides as place_choices
from components.geo.gazetteer import Place, default_gazetteer
from components.geo.learned import learned_places
from components.table import schema as s
from components.table.errors import StrikemapError, printable, shown_path
from components.ui import report_text
from components.ui.report_text import CHECKED_FIELDS, highlighted_report

__all__ = ["add_report_page", "highlighted_report"]

TEXT_KEY = "report_text"
PUBLISHED_KEY = "report_published"
SOURCE_NAME_KEY = "report_source_name"
SOURCE_URL_KEY = "report_source_url"
UPLOAD_KEY = "report_upload"
UPLOADED_KEY = "report_uploaded_name"
DRAFTS_KEY = "report_drafts"  # list of draft rows (dicts of canonical cells)
EVIDENCE_KEY = "report_evidence"  # list of Evidence
BODY_KEY = "report_body"
SAVED_KEY = "report_saved"
SAVE_ERROR_KEY = "report_save_error"
KEPT_COPY_KEY = "report_kept_values"  # widget values, kept when the widgets are not shown
_INPUT_KEYS = (TEXT_KEY, PUBLISHED_KEY, SOURCE_NAME_KEY, SOURCE_URL_KEY)

EVENT_TYPES = (AIR_STRIKE, SHELLING, "Remote explosive/landmine/IED", "Other")
NUMBER_FIELDS = (
    (s.KILLED_MIN, "Killed, at least"),
    (s.KILLED_MAX, "Killed, at most"),
    (s.INJURED_MIN, "Injured, at least"),
    (s.INJURED_MAX, "Injured, at most"),
    (s.CIVILIANS_KILLED_MIN, "Civilians killed, at least"),
    (s.CIVILIANS_KILLED_MAX, "Civilians killed, at most"),
)
TEXT_FIELDS = ((s.ACTOR1, "Who struck (actor 1)"), (s.ACTOR2, "Who was hit (actor 2)"))
PLACE_COLUMNS = (
    s.LOCATION, s.ADMIN1, s.COUNTRY, s.LATITUDE, s.LONGITUDE, s.GEO_PRECISION, s.GEOCODER
)  # fmt: skip


def add_report_page(events_path: Path, places_path: Path) -> None:
    """The whole "Add report" page, saving into ``events_path``."""
    st.title("Add a report")
    st.caption(
        "Paste a news report (English, Dutch, German, French or Spanish) or upload a .txt "
        "file. Strikemap drafts the coded events; check every field against the highlighted "
        "text, correct it, and save."
    )
    _restore_kept_values()
    _report_inputs()
    if st.button("Code report", type="primary"):
        _code_current_report()
    drafts = st.session_state.get(DRAFTS_KEY)
    if st.session_state.get(SAVED_KEY):
        st.success(st.session_state[SAVED_KEY])
    if not drafts:
        _keep_values()
        return
    evidence: list[Evidence] = st.session_state.get(EVIDENCE_KEY, [])
    body: str = st.session_state.get(BODY_KEY, "")
    for number, draft in enumerate(drafts):
        _draft_form(number, draft, [e for e in evidence if e.event == number], body)
    _keep_values()
    if st.session_state.get(SAVE_ERROR_KEY):
        st.error("Nothing was saved.")
        st.text(st.session_state[SAVE_ERROR_KEY])
    if st.button("Save checked events", type="primary"):
        _save(events_path, drafts)
        st.rerun()


# ---------------------------------------------------------------------------------------
# Inputs and coding


def _report_inputs() -> None:
    upload = st.file_uploader("Upload a report (.txt)", type=["txt"], key=UPLOAD_KEY)
    if upload is not None and st.session_state.get(UPLOADED_KEY) != upload.file_id:
        st.session_state[UPLOADED_KEY] = upload.file_id
        if upload.size > MAX_REPORT_BYTES:
            st.error(report_text.too_long(upload.size))
            return
        st.session_state[TEXT_KEY] = upload.getvalue().decode("utf-8", errors="replace")
        if not st.session_state.get(SOURCE_NAME_KEY):
            st.session_state[SOURCE_NAME_KEY] = upload.name
    st.text_area(
        "Report text",
        key=TEXT_KEY,
        height=220,
        help="It may start with a line 'date YYYY-MM-DD' giving the publication date.",
    )
    left, middle, right = st.columns(3)
    left.date_input(
        "Published on (optional)",
        value=None,
        min_value=dt.date(1945, 1, 1),
        max_value=dt.date.today() + dt.timedelta(days=1),
        key=PUBLISHED_KEY,
        help="Weekdays and 'yesterday' in the report are counted from this day.",
    )
    middle.text_input("Source name (optional)", key=SOURCE_NAME_KEY)
    right.text_input("Source URL (optional)", key=SOURCE_URL_KEY)


def _code_current_report() -> None:
    text = st.session_state.get(TEXT_KEY, "")
    if not text.strip():
        st.warning("Paste a report or upload a .txt file first.")
        return
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_REPORT_BYTES:
        # The command line's limit: coding time grows with the text, and a core is busy meanwhile.
        st.error(report_text.too_long(size))
        return
    # Places learned from the analyst's datasets come before the gazetteer, as on the CLI.
    learned = learned_places()
    try:
        coded = code_report(
            text,
            source_name=st.session_state.get(SOURCE_NAME_KEY, ""),
            source_url=st.session_state.get(SOURCE_URL_KEY, ""),
            published=st.session_state.get(PUBLISHED_KEY),
            gazetteer=_gazetteer(),
            learned=learned,
        )
    except Exception as error:  # the page stays up whatever the coder meets
        # A date or a number the coder could not read (a year 1 with "yesterday", a run of
        # thousands of digits): the page stays, and says so in one line.
        st.error(
            "Strikemap could not read a date or a number in this report, so it drafted no "
            f"events ({type(error).__name__}: {printable(str(error))[:200]}). Check the dates "
            "and figures in the text, or enter the event by hand from a shorter excerpt."
        )
        return
    finally:
        if learned is not None:
            learned.close()
    _use_drafts(coded)


def _use_drafts(coded: CodedReport) -> None:
    drafts = coded.events.to_dict(orient="records")
    st.session_state[DRAFTS_KEY] = drafts
    st.session_state[EVIDENCE_KEY] = list(coded.evidence)
    st.session_state[BODY_KEY] = coded.report.body
    st.session_state[SAVED_KEY] = ""
    st.session_state[SAVE_ERROR_KEY] = ""
    kept: dict[str, object] = {}
    for number, draft in enumerate(drafts):
        for key, value in _widget_values(number, draft).items():
            st.session_state[key] = value
            kept[key] = value
    st.session_state[KEPT_COPY_KEY] = kept


def _widget_values(number: int, draft: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {
        _key(number, "keep"): True,
        _key(number, s.DATE_START): draft[s.DATE_START],
        _key(number, s.DATE_END): draft[s.DATE_END],
        _key(number, s.DATE_PRECISION): draft[s.DATE_PRECISION] or "day",
        _key(number, s.EVENT_TYPE): draft[s.EVENT_TYPE] or EVENT_TYPES[0],
        _key(number, "place_name"): draft[s.LOCATION],
        _key(number, "place_choice"): 0,
        _key(number, s.NOTES): draft[s.NOTES],
    }
    for column, _ in TEXT_FIELDS:
        values[_key(number, column)] = draft[column]
    for column, _ in NUMBER_FIELDS:
        values[_key(number, column)] = report_text.figure(draft[column])
    return values


def _draft_problems(number: int) -> list[str]:
    """What saving this draft would refuse, by the events file's own rules, in words."""
    state = st.session_state
    row = {column: state.get(_key(number, column)) for column in CHECKED_FIELDS}
    return report_text.draft_problems(row)


@st.cache_resource(show_spinner="Loading the gazetteer…")
def _gazetteer():
    return default_gazetteer()


# ---------------------------------------------------------------------------------------
# One draft event


def _draft_form(number: int, draft: dict[str, str], evidence: list[Evidence], body: str) -> None:
    by_field: dict[str, Evidence] = {}
    for item in evidence:
        by_field.setdefault(item.field, item)
    sentences = report_text.sentences_by_offset(body, evidence)
    st.divider()
    st.subheader(f"Draft event {number + 1}: {draft[s.EVENT_TYPE] or 'type not found'}")
    st.checkbox("Save this event", key=_key(number, "keep"))
    with st.expander("The report, with the words behind each field marked", expanded=number == 0):
        st.html(report_text.highlighted_report(body, evidence))
    left, right = st.columns(2)
    with left:
        st.text_input("Date (YYYY-MM-DD)", key=_key(number, s.DATE_START))
        _from(by_field.get(s.DATE_START), sentences)
        st.text_input("Until (empty: the same day)", key=_key(number, s.DATE_END))
        st.selectbox("Date precision", s.DATE_PRECISIONS, key=_key(number, s.DATE_PRECISION))
        current_type = st.session_state.get(_key(number, s.EVENT_TYPE), EVENT_TYPES[0])
        types = list(dict.fromkeys([*EVENT_TYPES, current_type]))
        st.selectbox("Event type", types, key=_key(number, s.EVENT_TYPE))
        _from(by_field.get(s.EVENT_TYPE), sentences)
        for column, label in TEXT_FIELDS:
            st.text_input(label, key=_key(number, column))
            _from(by_field.get(column), sentences)
    with right:
        _place_picker(number, draft)
        _from(by_field.get(s.LOCATION), sentences)
        for column, label in NUMBER_FIELDS:
            st.number_input(
                label,
                min_value=0,
                max_value=s.MAX_FIGURE,
                step=1,
                value=None,
                key=_key(number, column),
            )
            if column.endswith("_min"):
                _from(by_field.get(column), sentences)
        for note in report_text.figure_notes(draft, NUMBER_FIELDS):
            st.text(note)  # report text: never read as Markdown
    st.text_area("Notes", key=_key(number, s.NOTES), height=100)
    for line in _draft_problems(number):
        st.text(line)  # values from the report: never read as Markdown


def _place_picker(number: int, draft: dict[str, str]) -> None:
    name = st.text_input("Place name", key=_key(number, "place_name"))
    options = _place_options(draft, name)
    labels = [label for label, _ in options]
    index_key = _key(number, "place_choice")
    if not isinstance(st.session_state.get(index_key), int) or st.session_state[index_key] >= len(
        options
    ):
        st.session_state[index_key] = 0
    st.selectbox(
        "Place on the map (gazetteer suggestions)",
        range(len(options)),
        format_func=lambda i: labels[i],
        key=index_key,
    )


def _place_options(draft: dict[str, str], name: str) -> list[tuple[str, dict[str, str]]]:
    """(label, place columns) to choose from: the coded place, then the gazetteer's ideas."""
    options: list[tuple[str, dict[str, str]]] = []
    if draft[s.LOCATION] and name.strip() == draft[s.LOCATION]:
        coded = {column: str(draft[column]) for column in PLACE_COLUMNS}
        options.append((f"As coded: {_place_label(coded)}", coded))
    if name.strip():
        country = draft[s.COUNTRY] or None
        gazetteer = _gazetteer()
        found = place_choices.suggestions(name, country, limit=6, gazetteer=gazetteer)
        if country and not found:
            found = place_choices.suggestions(name, None, limit=6, gazetteer=gazetteer)
        for place in found:
            columns = _columns_of(place)
            options.append((_place_label(columns), columns))
    no_place = dict.fromkeys(PLACE_COLUMNS, "")
    no_place[s.LOCATION] = name.strip()
    options.append((f"{name.strip() or 'No place'}, not on the map (place it later)", no_place))
    return options


def _columns_of(place: Place) -> dict[str, str]:
    mention = PlaceMention(0, 0, place.name, place)
    return {k: str(v) for k, v in place_fields(mention, _gazetteer()).items()}


def _place_label(columns: dict[str, str]) -> str:
    where = ", ".join(v for v in (columns[s.LOCATION], columns[s.ADMIN1], columns[s.COUNTRY]) if v)
    if columns[s.LATITUDE]:
        # A region's answer is "gazetteer:CC.ADMIN1"; a learned place's names a file, dots and all.
        geocoder = columns[s.GEOCODER]
        kind = "region" if geocoder.startswith("gazetteer:") and "." in geocoder else "place"
        if columns[s.GEO_PRECISION] == "3" and kind == "place":
            kind = "country or region"
        point = f"{float(columns[s.LATITUDE]):.3f}, {float(columns[s.LONGITUDE]):.3f}"
        return f"{where} · {kind} · {point}"
    return where


def _from(item: Evidence | None, sentences: dict[int, str]) -> None:
    """Under a field: the sentence its value came from (escaped)."""
    if item is None:
        return
    sentence = sentences.get(item.start, item.words)
    st.html(
        '<div style="color:#666;font-size:0.8em;margin:-0.6em 0 0.6em 0">from: '
        f"<q>{html.escape(sentence)}</q></div>"
    )


# ---------------------------------------------------------------------------------------
# Saving


def _save(events_path: Path, drafts: list[dict[str, str]]) -> None:
    rows = []
    for number, draft in enumerate(drafts):
        if st.session_state.get(_key(number, "keep")):
            rows.append(_edited_row(number, draft))
    if not rows:
        st.session_state[SAVE_ERROR_KEY] = "No event is checked for saving."
        return
    frame = pd.DataFrame(rows, columns=list(s.CANONICAL_COLUMNS), dtype=object)
    try:
        ids = storage.open_store(events_path).append_events(frame)
    except StrikemapError as error:
        st.session_state[SAVE_ERROR_KEY] = str(error)
        return
    except OSError as error:
        reason = error.strerror or type(error).__name__
        st.session_state[SAVE_ERROR_KEY] = (
            f"{shown_path(events_path)}: cannot be written ({reason})"
        )
        return
    st.session_state[SAVE_ERROR_KEY] = ""
    st.session_state[DRAFTS_KEY] = []
    st.session_state[KEPT_COPY_KEY] = {
        k: v for k, v in st.session_state[KEPT_COPY_KEY].items() if k in _INPUT_KEYS
    }
    st.session_state[SAVED_KEY] = (
        f"Saved {len(ids)} event(s): {', '.join(ids)} — now on the map (Dashboard page)."
    )


def _edited_row(number: int, draft: dict[str, str]) -> dict[str, str]:
    """A draft row with the analyst's corrections."""
    row = dict(draft)
    state = st.session_state
    row[s.DATE_START] = str(state.get(_key(number, s.DATE_START), "")).strip()
    row[s.DATE_END] = str(state.get(_key(number, s.DATE_END), "")).strip()
    row[s.DATE_PRECISION] = state.get(_key(number, s.DATE_PRECISION), "day")
    row[s.EVENT_TYPE] = state.get(_key(number, s.EVENT_TYPE), "")
    for column, _ in TEXT_FIELDS:
        row[column] = str(state.get(_key(number, column), "")).strip()
    for column, _ in NUMBER_FIELDS:
        value = state.get(_key(number, column))
        row[column] = "" if value is None else str(int(value))
    options = _place_options(draft, str(state.get(_key(number, "place_name"), "")))
    choice = state.get(_key(number, "place_choice"), 0)
    _, columns = options[choice if isinstance(choice, int) and choice < len(options) else 0]
    row.update(columns)
    row[s.NOTES] = str(state.get(_key(number, s.NOTES), ""))
    return row


def _key(number: int, field: str) -> str:
    return f"report_draft_{number}_{field}"


def _keep_values() -> None:
    """Copy the draft widgets' values outside the widget keys (Streamlit drops those of
    widgets not shown, e.g. while the analyst looks at the dashboard)."""
    kept = {
        key: value
        for key, value in st.session_state.items()
        if isinstance(key, str) and (key.startswith("report_draft_") or key in _INPUT_KEYS)
    }
    st.session_state[KEPT_COPY_KEY] = kept


def _restore_kept_values() -> None:
    for key, value in st.session_state.get(KEPT_COPY_KEY, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value
