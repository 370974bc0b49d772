"""Villages the gazetteer lacks, stood in for by their district or region; places learned from
the analyst's datasets; code-check learning only from other files. Sentences written for
these tests (the villages named here are invented)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.coding.coder import code_report
from components.coding.learn_check import learned_from
from components.geo.answers import GeocodeAnswer
from components.table.errors import EventFileError


def first(text: str, gazetteer, learned=None):
    return code_report(text, gazetteer=gazetteer, learned=learned).events.iloc[0]


def test_an_unknown_village_with_its_district_and_region_is_placed_at_the_district_town(
    gazetteer,
):
    event = first(
        "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia village (Bakhmut, Donetsk). "
        "Casualties unknown.",
        gazetteer,
    )
    assert event["location"] == "Bakhmut"
    assert event["country"] == "Ukraine"
    assert event["geo_precision"] == "2"  # near the district town, not at it


def test_an_unknown_village_with_its_region_is_placed_at_the_region_honestly(gazetteer):
    event = first(
        "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia, Kharkiv. No casualties.",
        gazetteer,
    )
    assert event["country"] == "Ukraine"
    assert event["admin1"] == event["location"] != "Kharkiv"  # the oblast, not the city
    assert event["geo_precision"] == "3"


def test_a_region_named_after_a_village_chooses_the_villages_namesake_there(gazetteer):
    # A namesake abroad (say, in Russia) must not win over the one in the named oblast.
    event = first("Russian forces fired mortars at Lozova, Kharkiv. Casualties unknown.", gazetteer)
    assert (event["location"], event["country"]) == ("Lozova", "Ukraine")


def test_a_district_named_in_several_countries_without_context_places_nothing_abroad(gazetteer):
    # "Bay" is a town in several countries; nothing says which: no stand-in from it.
    event = first("An airstrike hit Qoorqoor Yare village (Bay). Casualties unknown.", gazetteer)
    assert event["country"] in ("", "Somalia")


@pytest.mark.parametrize("position", ["Lower", "Middle", "Upper"])
def test_a_region_named_lower_or_middle_is_not_the_town_of_its_last_word(position, gazetteer):
    event = first(
        f"On 2 June 2025, an airstrike targeted militants in {position} Juba. Casualties unknown.",
        gazetteer,
    )
    assert event["country"] != "South Sudan"


class FakeLearned:
    """A learned-places store holding one village of one province."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None, str]] = []

    def find(self, name: str, country_code: str | None, admin1: str = ""):
        self.asked.append((name, country_code, admin1))
        if name == "Zolotarivka Nyzhnia" and country_code == "UA" and admin1 in ("", "Kharkiv"):
            return GeocodeAnswer(49.5, 36.9, "learned:other.csv:42", "Zolotarivka Nyzhnia", 1)
        if name == "Kharkiv" and country_code == "UA":
            return GeocodeAnswer(50.0, 36.2, "learned:other.csv:7", "Kharkiv", 1)
        return None


def test_a_learned_village_is_placed_where_the_users_dataset_placed_it(gazetteer):
    learned = FakeLearned()
    event = first(
        "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia, Kharkiv. No casualties.",
        gazetteer,
        learned,
    )
    assert (event["location"], event["latitude"], event["longitude"]) == (
        "Zolotarivka Nyzhnia", "49.5", "36.9",
    )  # fmt: skip
    assert event["geocoder"] == "learned:other.csv:42"
    assert event["geo_precision"] == "1"
    # The province after the village is its region, never looked up as a learned town.
    assert ("Kharkiv", "UA", "") not in learned.asked


def test_near_a_learned_village_is_near(gazetteer):
    event = first(
        "On 3 May 2024, Russian forces shelled near Zolotarivka Nyzhnia, Kharkiv.",
        gazetteer,
        FakeLearned(),
    )
    assert event["geo_precision"] == "2"


def test_without_learned_places_the_same_report_falls_back_to_the_region(gazetteer):
    event = first(
        "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia, Kharkiv. No casualties.",
        gazetteer,
    )
    assert event["geocoder"].startswith("gazetteer:")


ACLED_HEADER = (
    "event_id_cnty,event_date,sub_event_type,country,admin1,admin2,location,latitude,longitude,"
    "geo_precision,fatalities,notes\n"
)


def _acled(path: Path, rows: list[str]) -> Path:
    path.write_text(ACLED_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_code_check_learns_only_from_other_files_and_not_their_copies_of_its_events(
    tmp_path, gazetteer
):
    measured = _acled(
        tmp_path / "measured.csv",
        ["UKR1,2024-05-03,Shelling/artillery/missile attack,Ukraine,Kharkiv,,Zolotarivka "
         "Nyzhnia,49.5,36.9,1,0,Russian forces shelled Zolotarivka Nyzhnia. No casualties."],
    )  # fmt: skip
    other = _acled(
        tmp_path / "other.csv",
        [
            "UKR1,2024-05-03,Shelling/artillery/missile attack,Ukraine,Kharkiv,,Zolotarivka "
            "Nyzhnia,49.5,36.9,1,0,the same event exported again",
            "UKR2,2024-05-04,Shelling/artillery/missile attack,Ukraine,Kharkiv,,Verkhnia "
            "Tarasivka,49.6,36.8,1,0,another village",
        ],
    )
    with learned_from([other], measured, gazetteer) as store:
        assert store.counts() == {"other.csv": 1}  # the measured file's event is left out
        assert store.find("Verkhnia Tarasivka", "UA") is not None
        assert store.find("Zolotarivka Nyzhnia", "UA") is None


def test_code_check_refuses_to_learn_from_the_file_it_measures(tmp_path, gazetteer):
    measured = _acled(tmp_path / "measured.csv", [])
    copy = tmp_path / "copy.csv"
    copy.write_bytes(measured.read_bytes())
    for refused in (measured, copy):
        with (
            pytest.raises(EventFileError, match="being measured"),
            learned_from([refused], measured, gazetteer),
        ):
            pass


def _code_check(*args: str):
    from tests.cli.run import run_cli

    return run_cli("code-check", *args)


def test_code_check_prints_a_second_table_with_other_files_places_learned(tmp_path):
    note = "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia, Kharkiv. No casualties."
    measured = _acled(
        tmp_path / "measured.csv",
        [f"UKR1,2024-05-03,Shelling/artillery/missile attack,Ukraine,Kharkiv,,Zolotarivka "
         f'Nyzhnia,49.5,36.9,1,0,"{note}"'],
    )  # fmt: skip
    other = _acled(
        tmp_path / "other.csv",
        ["UKR9,2023-01-01,Shelling/artillery/missile attack,Ukraine,Kharkiv,,Zolotarivka "
         "Nyzhnia,49.5,36.9,1,0,an earlier event there"],
    )  # fmt: skip
    result = _code_check(str(measured), "--learn-from", str(other))
    assert result.returncode == 0, result.stderr
    nothing, learned = result.stdout.split("\n\n", 1)
    assert "nothing learned" in nothing
    assert re.search(r"^place\s+0\s+1\s+0\.0%", nothing, re.M)  # the oblast's centre: far
    assert "places learned from other files (other.csv 1)" in learned
    assert re.search(r"^place\s+1\s+1\s+100\.0%", learned, re.M)


def test_code_check_refuses_learning_from_the_file_it_scores_in_one_line(tmp_path):
    measured = _acled(tmp_path / "measured.csv", [])
    result = _code_check(str(measured), "--learn-from", str(measured))
    assert result.returncode == 2
    assert "being measured" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_learned_village_gets_the_region_it_lies_in(gazetteer):
    event = first(
        "On 3 May 2024, Russian forces shelled Zolotarivka Nyzhnia in eastern Ukraine.",
        gazetteer,
        FakeLearned(),
    )
    assert event["geocoder"] == "learned:other.csv:42"
    assert "Kharkiv" in event["admin1"]  # the region of the gazetteer's nearest town


def test_a_loose_spelling_of_one_word_counts_when_the_region_after_it_vouches(gazetteer):
    # "Shliakh" is a loose spelling of the gazetteer's "Shlyakh" in Kharkiv oblast.
    vouched = first("Russian forces shelled near Shliakh, Kharkiv. No casualties.", gazetteer)
    assert (vouched["location"], vouched["geo_precision"]) == ("Shlyakh", "2")
    # Without the region, one loosely spelled word is not trusted as a place.
    alone = first("Russian forces shelled near Shliakh. No casualties.", gazetteer)
    assert alone["location"] == ""


def test_a_district_loosely_matching_a_town_spelled_otherwise_stands_in_for_nothing(gazetteer):
    # With no country named, a loose match spelled quite differently is another place.
    event = first(
        "An airstrike hit Qoorqoor Yare town (Sablaale, Lower Xyz). No casualties.", gazetteer
    )
    assert event["location"] == ""


def test_the_last_word_of_a_village_name_is_not_a_town_of_its_own(gazetteer):
    # "Qoorqoor Wajeer village": the village is the whole name, not the town Wajir.
    event = first(
        "An airstrike hit Al Shabaab in Qoorqoor Wajeer village. No casualties.", gazetteer
    )
    assert event["location"] == ""
