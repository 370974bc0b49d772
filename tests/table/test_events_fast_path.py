"""The events reader's fast path (Arrow) splits every file it accepts exactly as the strict
csv-module reader does, and leaves every other file to the strict reader."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from components.table import reader as ev
from components.table.errors import EventFileError

HEADER = "event_id,date_start,notes\n"


def strict(data: bytes) -> pd.DataFrame:
    return ev._parse_any_csv(data, ",", "test.csv")


def as_text(frame: pd.DataFrame) -> list[list[str]]:
    return frame.astype(object).to_numpy().tolist()


def random_csv(rng: random.Random) -> bytes:
    """A small CSV body of plain and quoted cells, with line ends of every kind, sometimes
    damaged by a stray quote, comma or line end."""
    plain = ["a", "b", " ", ";", "é", "حلب"]
    quoted_parts = [*plain, ",", "\n", "\r", "\r\n", '""']

    def cell() -> str:
        if rng.random() < 0.5:
            return "".join(rng.choice(plain) for _ in range(rng.randint(0, 3)))
        return '"' + "".join(rng.choice(quoted_parts) for _ in range(rng.randint(0, 4))) + '"'

    lines = [
        ",".join(cell() for _ in range(rng.choice([3, 3, 3, 2, 4, 0])))
        for _ in range(rng.randint(0, 3))
    ]
    body = rng.choice(["\n", "\r\n", "\r"]).join(lines) + rng.choice(["", "\n"])
    if body and rng.random() < 0.4:
        at = rng.randrange(len(body) + 1)
        body = body[:at] + rng.choice(['"', "x", ",", "\n", '""', "\r"]) + body[at:]
    return (HEADER + body).encode("utf-8")


def test_every_file_the_fast_path_accepts_is_split_as_the_strict_reader_splits_it():
    rng = random.Random(6)
    accepted = 0
    for _ in range(1500):
        data = random_csv(rng)
        fast = ev._parse_plain_csv(data, ",", "test.csv")
        if fast is None:
            continue
        accepted += 1
        expected = strict(data)
        assert list(fast.columns) == list(expected.columns), data
        assert as_text(fast) == as_text(expected), data
    assert accepted > 300


@pytest.mark.parametrize(
    "body",
    [
        'e1,2018-02-07,"a ""quoted"" word"\n',
        'e1,2018-02-07,"two\nlines"\r\ne2,2018-02-08,\n',
        "e1,2018-02-07,\n\ne2,2018-02-08,x\n",
        "e1,2018-02-07,plain\ne2,2018-02-08,,\n",
    ],
    ids=["doubled quotes", "line end in a cell", "blank line", "empty extra cell"],
)
def test_plain_files_take_the_fast_path_and_match_the_strict_reader(body):
    data = (HEADER + body).encode("utf-8")

    fast = ev.parse_csv_bytes(data, "test.csv")

    assert as_text(fast) == as_text(strict(data))


@pytest.mark.parametrize(
    "body",
    [
        'e1,2018-02-07,a 5" shell\n',
        'e1,2018-02-07,"closed"then more\n',
        "e1,2018-02-07,too,many\n",
        "e1\n",
        'e1,2018-02-07,"never closed\n',
    ],
    ids=["quote inside a cell", "text after a closing quote", "long row", "short row", "open"],
)
def test_odd_files_are_left_to_the_strict_reader(body):
    data = (HEADER + body).encode("utf-8")

    assert ev._parse_plain_csv(data, ",", "test.csv") is None


def test_the_strict_reader_still_names_a_quote_that_is_never_closed():
    data = (HEADER + 'e1,2018-02-07,"never closed\n').encode("utf-8")

    with pytest.raises(EventFileError, match="quote that is opened but never closed"):
        ev.parse_csv_bytes(data, "test.csv")


def test_text_that_is_not_utf8_is_read_by_the_strict_reader_as_before():
    data = (HEADER + "e1,2018-02-07,Caf\xe9\n").encode("cp1252")

    frame = ev.parse_csv_bytes(data, "test.csv")

    assert frame["notes"].tolist() == ["Café"]
