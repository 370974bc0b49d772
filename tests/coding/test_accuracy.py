"""Strict scoring of drafted events against tables that hold the truth (code-check)."""

from __future__ import annotations

import pandas as pd
import pytest

from components.coding.accuracy import (
    actor_agrees,
    check_file,
    holds,
    holds_all,
    read_cases,
    split_of,
    summarise,
)
from components.table.errors import EventFileError

ACLED_HEADER = (
    "event_id_cnty,event_date,sub_event_type,actor1,actor2,country,admin1,location,"
    "latitude,longitude,geo_precision,notes,fatalities\n"
)


def test_an_open_range_holds_only_its_minimum():
    assert holds("12", "", 12)
    assert not holds("12", "", 13)  # "at least 12" does not say 13
    assert not holds("", "", 3)


def test_a_closed_range_holds_the_figures_between_its_ends():
    assert holds("36", "40", 38) and holds("36", "40", 40)
    assert not holds("36", "40", 41)


def test_an_empty_range_is_right_when_no_one_was_reported_killed():
    assert holds("", "", 0) and holds("0", "0", 0)


def test_several_reported_figures_need_a_range_that_holds_them_all():
    assert holds_all("90", "142", [142, 90])
    assert not holds_all("90", "", [142, 90])
    assert holds_all("", "", []) and not holds_all("3", "3", [])


def test_the_split_follows_the_text_and_both_splits_are_used():
    texts = [f"On {day} May 2024, shelling hit a village." for day in range(1, 41)]
    splits = [split_of(text) for text in texts]
    assert splits == [split_of(text) for text in texts]
    assert {"dev", "test"} == set(splits)
    assert split_of("  same text \n") == split_of("same text")


def test_actor_names_agree_on_their_telling_words():
    assert actor_agrees("Russia", "Military Forces of Russia (2000-)")
    assert actor_agrees("al-Shabaab", "Al Shabaab")
    assert actor_agrees("United States", "Military Forces of the United States (2021-)")
    assert not actor_agrees("Russia", "Military Forces of Ukraine (2019-)")
    assert actor_agrees("", "") and not actor_agrees("Russia", "")


def _acled(tmp_path, rows: list[str]):
    path = tmp_path / "acled.csv"
    path.write_text(ACLED_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_only_strike_rows_of_an_acled_table_are_cases(tmp_path):
    path = _acled(
        tmp_path,
        [
            "X1,2024-03-05,Shelling/artillery/missile attack,Military Forces of Russia,,Ukraine,"
            'Kharkiv,Kharkiv,49.98,36.25,1,"On 5 March 2024, Russian forces shelled Kharkiv. '
            'Two civilians were killed.",2',
            "X2,2024-03-05,Peaceful protest,Protesters,,Ukraine,Kyiv,Kyiv,50.45,30.52,1,"
            '"On 5 March 2024, people protested in Kyiv.",0',
        ],
    )
    cases = read_cases(path)
    assert [(c.row, c.killed, c.event_type) for c in cases] == [
        (2, 2, "Shelling/artillery/missile attack")
    ]


def test_a_table_without_truth_is_refused_with_what_it_needs(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(EventFileError, match="notes and event_date"):
        read_cases(path)


def test_code_check_scores_each_field_and_lists_the_misses(tmp_path, gazetteer):
    path = _acled(
        tmp_path,
        [
            "X1,05/03/2024,Shelling/artillery/missile attack,Military Forces of Russia,,Ukraine,"
            'Kharkiv,Kharkiv,49.98,36.25,1,"On 5 March 2024, Russian forces shelled Kharkiv. '
            'Two civilians were killed.",2',
            "X2,06/03/2024,Air/drone strike,Military Forces of Russia,,Ukraine,Odesa,Odesa,"
            '46.48,30.72,1,"On 6 March 2024, a Russian drone strike hit Odesa. Casualties '
            'unknown.",5',
        ],
    )
    scored = check_file(path, gazetteer)
    assert [s.marks["date"] for s in scored] == [True, True]
    assert [s.marks["place"] for s in scored] == [True, True]
    assert [s.marks["killed"] for s in scored] == [True, False]
    assert [s.marks["type"] for s in scored] == [True, True]
    table = summarise(scored)
    assert "killed        1       2" in table
    assert "worst killed (1 missed)" in table and "truth 5" in table


def test_fa_kes_articles_are_scored_on_date_and_place(tmp_path, gazetteer):
    path = tmp_path / "fakes.csv"
    pd.DataFrame(
        {
            "unit_id": ["1"],
            "article_title": ["Shelling"],
            "article_content": ["Sat 3 Aug 2013 Rockets fell on Aleppo, killing two people."],
            "source": ["x"],
            "date": ["8/3/2013"],
            "location": ["aleppo"],
            "labels": ["1"],
        }
    ).to_csv(path, index=False)
    (scored,) = check_file(path, gazetteer)
    assert scored.case.date.isoformat() == "2013-08-03"
    assert scored.marks == {"date": True, "place": True}


def test_truth_dates_in_every_acled_era_read_as_the_right_day():
    from components.coding.accuracy import read_date

    assert str(read_date("31-12-19")) == "2019-12-31"  # a spreadsheet re-save, two-digit year
    assert str(read_date("05-Jan-22")) == "2022-01-05"
    assert str(read_date("14/08/2020 00:00:00")) == "2020-08-14"
    assert str(read_date("8/24/2013", month_first=True)) == "2013-08-24"


def test_a_party_the_truth_leaves_unidentified_is_right_only_when_the_draft_names_none():
    assert actor_agrees("", "Unidentified Military Forces")
    assert not actor_agrees("Somalia", "Unidentified Military Forces")
