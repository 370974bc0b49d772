"""The embedded engine's kept answers and rows (components/storage/answers.py): a kept answer
is the one computed, callers get copies, the store stays bounded, and pages read through the
kept rows are those a fresh engine reads."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components.storage.answers import Answers, KeptRows, frozen
from components.storage.duckdb_engine import ColumnarEvents, write_parquet
from components.table import schema as s
from components.table import sources
from components.table.events import validate_events
from components.view.filters import EventFilter


class Counting:
    """A computation that counts its runs and answers a fresh frame each time."""

    def __init__(self, rows: int = 3) -> None:
        self.runs, self.rows = 0, rows

    def __call__(self) -> pd.DataFrame:
        self.runs += 1
        return pd.DataFrame({"n": range(self.rows)})


def test_an_answer_is_computed_once_and_handed_out_as_a_copy():
    answers, compute = Answers(), Counting()

    first = answers.get(("q", 1), compute)
    first.loc[0, "n"] = 99  # a caller changing its frame changes nobody else's
    again = answers.get(("q", 1), compute)

    assert compute.runs == 1
    assert again["n"].tolist() == [0, 1, 2]


def test_the_oldest_answer_goes_when_the_store_is_full():
    answers, compute = Answers(kept=2), Counting()
    for key in ("a", "b", "a", "c"):  # "a" used again: "b" is the oldest when "c" comes
        answers.get(key, compute)

    answers.get("a", compute)
    assert compute.runs == 3
    answers.get("b", compute)
    assert compute.runs == 4
    assert len(answers) == 2


def test_a_large_answer_of_text_is_not_kept():
    answers = Answers(max_rows=2)
    text = Counting(rows=3)
    text_frame = lambda: text().astype(object)  # noqa: E731

    answers.get("text", text_frame)
    answers.get("text", text_frame)

    assert text.runs == 2


def test_arguments_become_keys_and_an_unhashable_one_is_refused():
    assert frozen(([1, 2], {"b": [3]}, np.array([1.5]))) == frozen(
        ((1, 2), {"b": (3,)}, np.array([1.5]))
    )
    assert frozen([1, 2]) != frozen([2, 1])
    with pytest.raises(TypeError):
        frozen({1, 2})


def test_kept_rows_answer_in_the_order_asked_and_keep_the_newest():
    kept = KeptRows("_row", kept=3)
    kept.add(pd.DataFrame({"_row": [5, 6], "x": ["e", "f"]}))
    kept.add(pd.DataFrame({"_row": [7, 8], "x": ["g", "h"]}))

    assert kept.missing([5, 6, 7, 8]) == [5]
    assert kept.take([8, 6, 7])["x"].tolist() == ["h", "f", "g"]


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    rows = [
        {
            s.EVENT_ID: f"e{i}",
            s.DATE_START: day.strftime("%Y-%m-%d"),
            s.EVENT_TYPE: "air strike",
            s.LATITUDE: "" if i % 7 == 0 else str(30 + i / 100),
            s.LONGITUDE: "" if i % 7 == 0 else str(40 + i / 100),
            s.LOCATION: f"Town {i % 5}",
            s.COUNTRY: "Syria",
        }
        for i, day in enumerate(np.repeat(days, 3))
    ]
    loaded = validate_events(pd.DataFrame(rows, dtype=object), source="test events")
    events = sources.attach_sources(loaded.events, sources.empty_sources())
    path = tmp_path_factory.mktemp("kept") / "events.parquet"
    write_parquet([events.iloc[:100], events.iloc[100:]], path)
    return path


def test_pages_and_unplaced_rows_through_kept_rows_are_those_a_fresh_engine_reads(parquet):
    stepping = ColumnarEvents(parquet)
    for day in range(1, 20):  # slider steps: each reuses rows the step before read
        window = EventFilter(date_from=dt.date(2024, 1, day), date_to=dt.date(2024, 2, 20))
        for method, args in (
            ("page", (window, None, s.DATE_START, False, 0, 10)),
            ("page", (window, None, s.DATE_START, True, 10, 10)),
            ("unplaced", (window, 5)),
        ):
            fresh = ColumnarEvents(parquet)
            expected = getattr(fresh, method)(*args)
            pd.testing.assert_frame_equal(getattr(stepping, method)(*args), expected)
            fresh.close()
    stepping.close()
