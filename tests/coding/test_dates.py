"""Dates in reports: explicit dates, weekdays and "yesterday" in five languages."""

from __future__ import annotations

import datetime as dt

import pytest

from components.coding.dates import date_mentions, event_date
from components.coding.text import read_report


def dated(text: str) -> tuple[dt.date, dt.date | None, str]:
    report = read_report(text)
    found = event_date(date_mentions(report), report)
    return found.start, found.end, found.precision


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("date 2022-03-10\nGestern wurde Charkiw beschossen.", dt.date(2022, 3, 9)),
        ("date 2022-03-10\nAm Dienstag wurde Charkiw beschossen.", dt.date(2022, 3, 8)),
        ("date 2018-02-09\nGisteren is Idlib gebombardeerd.", dt.date(2018, 2, 8)),
        ("date 2018-02-09\nWoensdagavond is Idlib gebombardeerd.", dt.date(2018, 2, 7)),
        ("date 2020-01-14\nHier, une frappe de drone a tué cinq personnes.", dt.date(2020, 1, 13)),
        ("date 2020-01-14\nLe 12 janvier 2020, une frappe a tué cinq personnes.",
         dt.date(2020, 1, 12)),
        ("date 2017-03-17\nAyer un bombardeo en Saná mató a 27 personas.", dt.date(2017, 3, 16)),
        ("date 2017-03-20\nEl 16 de marzo un bombardeo mató a 27 personas.", dt.date(2017, 3, 16)),
        ("date 2019-05-06\nOn Sunday an air strike killed 3 people.", dt.date(2019, 5, 5)),
        ("date 2019-05-06\nOn May 5 an air strike killed 3 people.", dt.date(2019, 5, 5)),
        ("date 2022-02-25\nAm 24. Februar 2022 begann der Angriff.", dt.date(2022, 2, 24)),
    ],
)  # fmt: skip
def test_dates_resolve_against_the_publication_date(text, day):
    start, _, precision = dated(text)
    assert (start, precision) == (day, "day")


def test_weekdays_with_only_a_month_are_counted_from_a_date_the_report_gives():
    text = (
        "date 2018-02\nDe luchtmacht heeft woensdagavond en donderdagochtend aanvallen "
        "uitgevoerd.\nDefensive strikes — Inherent Resolve (@CJTFOIR) February 7, 2018"
    )
    assert dated(text) == (dt.date(2018, 2, 7), dt.date(2018, 2, 8), "day")


@pytest.mark.parametrize(
    "text", ["date 2019-05-06\nNow a few people may come.", "date 2019-05-06\nA strike, a day."]
)
def test_ordinary_words_are_not_dates(text):
    assert date_mentions(read_report(text)) == []


def test_without_any_date_the_publication_date_is_used_and_called_less_sure():
    assert dated("date 2019-05-06\nAn air strike killed 3 people.") == (
        dt.date(2019, 5, 6),
        None,
        "week",
    )


def test_background_years_do_not_date_the_event():
    start, _, _ = dated("date 2019-05-06\nOn Sunday a strike hit the town, held since March 2014.")
    assert start == dt.date(2019, 5, 5)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "date 2008-08-26\nKabul, 26 ago (EFE).- La ONU aseguró hoy que noventa civiles "
            "murieron el pasado viernes en un bombardeo en Azizabad.",
            dt.date(2008, 8, 22),
        ),
        (
            "date 2024-01-17\nPakistan said on Wednesday that strikes late on Sunday hit a "
            "village near Panjgur.",
            dt.date(2024, 1, 14),
        ),
        (
            "date 2021-06-23\nDe autoriteiten meldden woensdag dat bij een luchtaanval op "
            "maandag zeker 64 mensen omkwamen.",
            dt.date(2021, 6, 21),
        ),
    ],
)
def test_the_day_the_news_was_told_gives_way_to_the_strike_day(text, day):
    assert dated(text)[0] == day


def test_a_dateline_date_is_the_filing_day_not_the_strike_day():
    text = "date 2020-01-05\nTúnez, 5 ene (EFE).- Un ataque aéreo el jueves mató a 30 cadetes."
    assert dated(text)[0] == dt.date(2020, 1, 2)


def test_a_date_without_a_year_takes_the_year_of_the_reports_full_dates():
    text = "Le 3 mars, une frappe a touché la ville. Le bilan du 4 mars 2019 fait état de 5 morts."
    assert dated(text)[0] == dt.date(2019, 3, 3)


@pytest.mark.parametrize(
    ("first_line", "day"),
    [
        ("Publié le 27/05/2024 à 09h12", dt.date(2024, 5, 27)),
        ("20.07.2022, 19:45 Uhr", dt.date(2022, 7, 20)),
        ("woensdag 23 juni 2021, 14:05", dt.date(2021, 6, 23)),
        ("Published 7:41 AM GMT+2, April 12, 2023", dt.date(2023, 4, 12)),
        ("Publicado el 05/01/2020 a las 11:32", dt.date(2020, 1, 5)),
    ],
)
def test_a_timestamp_line_at_the_top_is_the_publication_date(first_line, day):
    report = read_report(f"{first_line}\n\nAn air strike on Aleppo killed 3 people yesterday.")
    assert report.published == day
    assert report.body.startswith("An air strike")
    assert dated(report.body and f"{first_line}\n\n{report.body}")[0] == day - dt.timedelta(1)


def test_a_first_sentence_with_a_year_in_it_is_not_a_timestamp():
    report = read_report("In 2019 an air strike on Aleppo killed 3 people.")
    assert report.published is None
    assert report.body.startswith("In 2019")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("date 2017-03-25\nBij een luchtaanval zijn vrijdag 17 maart tien burgers omgekomen.",
         dt.date(2017, 3, 17)),
        ("date 2019-08-30\nOn Tuesday, 6 August an air strike killed 3 people.",
         dt.date(2019, 8, 6)),
        ("date 2016-05-20\nAm Freitag, den 6. Mai wurde das Dorf bombardiert.",
         dt.date(2016, 5, 6)),
        ("date 2021-11-30\nLe jeudi 4 novembre, une frappe a tué cinq personnes.",
         dt.date(2021, 11, 4)),
    ],
)  # fmt: skip
def test_a_weekday_written_before_a_date_is_that_dates_weekday(text, day):
    start, end, precision = dated(text)
    assert (start, end, precision) == (day, None, "day")


def test_a_day_in_the_month_of_a_month_only_publication_date_is_in_that_year():
    text = "date 2020-12\nDes missiles ont frappé la ville le 30 décembre, tuant dix personnes."
    assert dated(text) == (dt.date(2020, 12, 30), None, "day")
