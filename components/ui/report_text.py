"""The Add report page's text work, apart from Streamlit: the report with its evidence marked,
the sentence behind a field, and the checks of a draft before it is saved."""

from __future__ import annotations

import html

import pandas as pd

from components.coding.coder import MAX_REPORT_BYTES, Evidence
from components.table import schema as s
from components.table.errors import printable
from components.table.events import validate_events

__all__ = [
    "CHECKED_FIELDS",
    "draft_problems",
    "figure",
    "figure_notes",
    "highlighted_report",
    "sentences_by_offset",
    "too_long",
]

# The draft's fields that saving checks by the events file's rules.
CHECKED_FIELDS = (s.DATE_START, s.DATE_END, s.DATE_PRECISION, *s.COUNT_COLUMNS)


def highlighted_report(body: str, evidence: list[Evidence]) -> str:
    """The report as HTML with the words behind each field marked; every piece is escaped."""
    spans: dict[tuple[int, int], list[str]] = {}
    for item in evidence:
        if 0 <= item.start < item.end <= len(body):
            spans.setdefault((item.start, item.end), []).append(item.field)
    merged: list[tuple[int, int, list[str]]] = []
    for (start, end), fields in sorted(spans.items()):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_fields = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_fields + fields)
        else:
            merged.append((start, end, list(fields)))
    pieces = []
    position = 0
    for start, end, fields in merged:
        pieces.append(html.escape(body[position:start]))
        label = html.escape(", ".join(dict.fromkeys(fields)))
        pieces.append(
            f'<mark class="strikemap-evidence" title="{label}">{html.escape(body[start:end])}'
            f'<sup class="strikemap-evidence-label"> {label}</sup></mark>'
        )
        position = end
    pieces.append(html.escape(body[position:]))
    text = "".join(pieces).replace("\n", "<br>")
    return (
        "<style>.strikemap-evidence{background:#ffe08a;padding:0 2px;border-radius:3px}"
        ".strikemap-evidence-label{color:#7a4b00;font-size:0.7em}</style>"
        f'<div class="strikemap-report" style="line-height:1.6">{text}</div>'
    )


def figure(cell: object) -> int | None:
    """A drafted figure for the form; None (the field left empty) when it is not a whole
    number the form and the events file can hold — the notes of the draft say so."""
    try:
        number = int(str(cell).strip())
    except ValueError:
        return None
    return number if 0 <= number <= s.MAX_FIGURE else None


def figure_notes(draft: dict[str, str], labels: tuple) -> list[str]:
    """Figures in the draft that the form cannot hold, in words."""
    return [
        f"{label}: the report gives {printable(str(draft[column]))[:40]!r}, more than "
        f"{s.MAX_FIGURE:,} or not a whole number; the field was left empty, check the text."
        for column, label in labels
        if str(draft[column]).strip() and figure(draft[column]) is None
    ]


def draft_problems(row: dict[str, object]) -> list[str]:
    """What saving a draft with these field values would refuse, in words."""
    cells = {s.EVENT_ID: "draft"}
    for column in CHECKED_FIELDS:
        value = row.get(column)
        cells[column] = "" if value is None else str(value).strip()
    loaded = validate_events(pd.DataFrame([cells], dtype=object), source="draft")
    return [
        f"Check before saving — {p.column}: {p.expected} (found {printable(p.value)!r})"
        for p in loaded.problems
        if p.row > 1
    ]


def too_long(size: int) -> str:
    return (
        f"The report is {size:,} bytes; the limit is {MAX_REPORT_BYTES:,} (as on the command "
        "line). Paste the part that describes the strike."
    )


def sentences_by_offset(body: str, evidence: list[Evidence]) -> dict[int, str]:
    return {item.start: _sentence_text(body, item) for item in evidence}


def _sentence_text(body: str, item: Evidence) -> str:
    from components.coding.text import split_sentences

    for sentence in split_sentences(body):
        if sentence.start <= item.start < sentence.end:
            return sentence.text
    return item.words
