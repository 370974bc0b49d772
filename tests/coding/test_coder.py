"""Whole reports to draft events: the seed, and short reports of real strikes in five
languages (tests/reports, written for these tests, with their expected fields)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from components.coding.accuracy import score_fixture as score
from components.coding.coder import code_paths, code_report
from components.coding.strikes import SHELLING
from components.table import schema as s
from components.table.events import read_events, validate_events
from tests.dashboard import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "000_06b4a840bbb81acb.txt"
REPORTS = Path(__file__).parent / "reports"
CASES = json.loads((REPORTS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_events(gazetteer):
    return code_report(SEED.read_text(encoding="utf-8"), gazetteer=gazetteer)


def test_the_seed_gives_the_air_strikes_and_the_ground_attack(seed_events):
    events = seed_events.events
    assert list(events[s.EVENT_TYPE]) == [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
    ]


def test_the_seed_air_strikes_match_the_hand_coded_event(seed_events):
    coded = seed_events.events.iloc[0]
    hand = read_events(PROJECT_ROOT / "data" / "events.csv").events
    hand = hand[hand[s.EVENT_ID] == "seed-000-2"].iloc[0]
    assert coded[s.DATE_START] == hand[s.DATE_START].date().isoformat()
    assert coded[s.DATE_END] == hand[s.DATE_END].date().isoformat()
    for column in (s.KILLED_MIN, s.KILLED_MAX, s.INJURED_MIN, s.INJURED_MAX):
        assert coded[column] == str(hand[column])
    for column in (s.COUNTRY, s.ADMIN1, s.LOCATION, s.ACTOR2, s.SOURCE_LANGUAGE):
        assert coded[column] == hand[column]
    assert coded[s.SOURCE_TEXT] == hand[s.SOURCE_TEXT]
    assert coded[s.SOURCE_DATE] == "2018-02"


def test_the_seed_ground_attack_has_no_casualties_of_its_own(seed_events):
    attack = seed_events.events.iloc[1]
    assert attack[s.DATE_START] == "2018-02-07"
    assert attack[s.ACTOR1] == "Pro-government forces (Syria)"
    assert attack[s.ACTOR2] == "Syrian Democratic Forces (SDF)"
    # "Vijfhonderd pro-regeringssoldaten" are the attackers, not casualties.
    assert attack[s.KILLED_MIN] == attack[s.KILLED_MAX] == ""


def test_every_field_keeps_the_sentence_it_came_from(seed_events):
    body = seed_events.report.body
    evidence: dict[str, list] = {}
    for item in seed_events.evidence_for(0):
        evidence.setdefault(item.field, []).append(item)
    assert "honderd Syrische soldaten omgekomen" in evidence[s.KILLED_MIN][0].words
    (place,) = evidence[s.LOCATION]
    assert body[place.start : place.end] == "Deir ez-Zor"
    said = [item.words for item in evidence[s.DATE_START]]
    assert said == ["woensdagavond", "donderdagochtend", "February 7, 2018"]
    notes = seed_events.events.iloc[0][s.NOTES]
    assert "honderd Syrische soldaten omgekomen" in notes


def test_draft_rows_pass_the_events_gate(seed_events):
    loaded = validate_events(seed_events.events, source="draft")
    assert loaded.problems == []
    assert len(loaded.events) == 2


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_short_report_is_coded(case, gazetteer):
    event = code_report((REPORTS / case["file"]).read_text(encoding="utf-8"), gazetteer=gazetteer)
    marks = score(event.events.iloc[0], case)
    wrong = [field for field in ("date", "place", "killed", "injured") if not marks[field]]
    assert wrong == []


def test_a_publication_date_given_by_hand_wins_over_the_date_line(gazetteer):
    coded = code_report(
        "Yesterday an air strike on Aleppo killed 3 people.",
        published=dt.date(2016, 9, 24),
        gazetteer=gazetteer,
    )
    assert coded.events.iloc[0][s.DATE_START] == "2016-09-23"
    assert coded.events.iloc[0][s.SOURCE_DATE] == "2016-09-24"


def test_ids_come_from_the_text_and_stay_the_same(gazetteer):
    text = "date 2020-01-01\nAn air strike on Aleppo killed 3 people."
    first = code_report(text, gazetteer=gazetteer).events.iloc[0][s.EVENT_ID]
    again = code_report(text, gazetteer=gazetteer).events.iloc[0][s.EVENT_ID]
    other = code_report(text + " ", gazetteer=gazetteer).events.iloc[0][s.EVENT_ID]
    assert first == again != other


def test_unknown_casualties_stay_empty_never_zero(gazetteer):
    row = code_report("An air strike hit Aleppo on Monday.", gazetteer=gazetteer).events.iloc[0]
    assert row[s.KILLED_MIN] == row[s.INJURED_MIN] == ""


def test_a_folder_of_reports_is_coded_and_a_repeated_file_skipped(tmp_path, gazetteer):
    (tmp_path / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    events, problems = code_paths([tmp_path], gazetteer=gazetteer)
    assert len(events) == 2
    assert list(events[s.SOURCE_NAME].unique()) == ["a.txt"]
    assert problems == [f"{tmp_path / 'b.txt'}: same text as {tmp_path / 'a.txt'}; skipped"]


FRESH = Path(__file__).parent / "reports_fresh"
FRESH_CASES = json.loads((FRESH / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FRESH_CASES, ids=[c["file"] for c in FRESH_CASES])
def test_a_fresh_wire_report_gets_its_date_and_figures(case, gazetteer):
    """tests/reports_fresh: wire copy written apart from the coder's rules."""
    event = code_report((FRESH / case["file"]).read_text(encoding="utf-8"), gazetteer=gazetteer)
    marks = score(event.events.iloc[0], case)
    assert [f for f in ("date", "killed", "injured") if not marks[f]] == []


def test_fresh_wire_reports_are_placed_within_40_km_but_for_gazetteer_gaps(gazetteer):
    # The miss names a place the gazetteer lacks (Tinzaouatène); see the report coder's notes.
    placed = sum(
        score(code_report((FRESH / c["file"]).read_text(encoding="utf-8"),
                          gazetteer=gazetteer).events.iloc[0], c)["place"]
        for c in FRESH_CASES
    )  # fmt: skip
    assert placed >= len(FRESH_CASES) - 1


def test_a_timestamp_line_dates_the_report_and_leaves_the_body(gazetteer):
    coded = code_report(
        "Publié le 27/05/2024 à 09h12\n\nGaza (AFP) - Une frappe israélienne sur Rafah a tué "
        "dimanche soir 45 personnes, plus de deux semaines après le début de l'offensive le "
        "7 mai.",
        gazetteer=gazetteer,
    )
    event = coded.events.iloc[0]
    assert event[s.SOURCE_DATE] == "2024-05-27"
    assert event[s.DATE_START] == "2024-05-26"
    assert not event[s.SOURCE_TEXT].startswith("Publié")


def test_a_dateline_with_a_year_dates_the_weekdays_of_the_report(gazetteer):
    coded = code_report(
        "KYIV, Aug 19, 2023 (Reuters) - A Russian missile struck the city of Chernihiv on "
        "Saturday, killing seven people.",
        gazetteer=gazetteer,
    )
    assert coded.events.iloc[0][s.DATE_START] == "2023-08-19"
    assert coded.events.iloc[0][s.SOURCE_DATE] == "2023-08-19"


def test_figures_right_after_a_second_strike_belong_to_that_strike(gazetteer):
    coded = code_report(
        "date 2024-02-15\nBij een Israëlische luchtaanval op een woongebouw in Nabatieh zijn "
        "woensdagavond zeven mensen om het leven gekomen. De aanval volgde op een raketaanval "
        "van Hezbollah op een legerbasis in Safed eerder op de dag. Daarbij raakten acht "
        "mensen gewond.",
        gazetteer=gazetteer,
    )
    air, rockets = coded.events.iloc[0], coded.events.iloc[1]
    assert (air[s.KILLED_MIN], air[s.INJURED_MIN]) == ("7", "")
    assert rockets[s.INJURED_MIN] == rockets[s.INJURED_MAX] == "8"


def test_a_new_paragraph_without_a_strike_word_returns_to_the_main_strike(gazetteer):
    coded = code_report(
        "date 2024-02-15\nBij een Israëlische luchtaanval op Nabatieh zijn woensdagavond "
        "zeven mensen om het leven gekomen. Eerder trof een raketaanval van Hezbollah Safed."
        "\n\nVolgens artsen raakten twaalf mensen gewond.",
        gazetteer=gazetteer,
    )
    assert coded.events.iloc[0][s.INJURED_MIN] == "12"


def test_a_headline_in_vaguer_words_does_not_split_off_its_own_event(gazetteer):
    coded = code_report(
        "Deux morts dans un bombardement sur Kherson\n"
        "Au moins deux personnes ont été tuées jeudi 4 mai 2023 par une frappe de missiles "
        "russes sur Kherson. Cinq autres ont été blessées.",
        gazetteer=gazetteer,
    )
    assert len(coded.events) == 1
    event = coded.events.iloc[0]
    assert event[s.EVENT_TYPE] == "Shelling/artillery/missile attack"
    assert (event[s.DATE_START], event[s.KILLED_MIN], event[s.INJURED_MIN]) == (
        "2023-05-04",
        "2",
        "5",
    )


def test_a_vague_amount_gives_way_to_the_figure_inside_it(gazetteer):
    coded = code_report(
        "Air strike on Aleppo market kills dozens\n"
        "At least 31 people were killed when an air strike hit a market in Aleppo on "
        "Monday, 4 March 2019, rescuers said.",
        gazetteer=gazetteer,
    )
    event = coded.events.iloc[0]
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == ("31", "")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Al menos ocho personas murieron en el bombardeo de un mercado en Jan Yunis. "
               "La ONU atribuyó el ataque a la artillería israelí."),
        ("fr", "Au moins six personnes ont été tuées dans le bombardement d'une école à Alep. "
               "Des témoins ont accusé l'artillerie du régime."),
    ],
)  # fmt: skip
def test_a_bombardment_later_said_to_be_artillery_is_one_shelling_event(language, text, gazetteer):
    events = code_report(text, gazetteer=gazetteer).events
    assert list(events[s.EVENT_TYPE]) == [SHELLING]


# Each set was written by someone who had not read the coder, measured, then used to fix it.
UNSEEN_SETS = ("third", "fourth", "fifth", "sixth", "seventh", "eighth")
UNSEEN_CASES = [
    (folder, case)
    for name in UNSEEN_SETS
    for folder in [Path(__file__).parent / f"reports_{name}"]
    for case in json.loads((folder / "expected.json").read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(
    ("folder", "case"), UNSEEN_CASES, ids=[f"{f.name}/{c['file']}" for f, c in UNSEEN_CASES]
)
def test_a_report_written_apart_from_the_coder_gets_its_date_place_and_figures(
    folder, case, gazetteer
):
    event = code_report((folder / case["file"]).read_text(encoding="utf-8"), gazetteer=gazetteer)
    marks = score(event.events.iloc[0], case)
    assert [f for f in ("date", "place", "killed", "injured") if not marks[f]] == []


def test_the_toll_of_a_drone_strike_told_with_its_missiles_is_the_strikes_toll(gazetteer):
    text = (
        "date 2019-05-06\n"
        "An Israeli drone strike hit a car in Rafah on Monday. Four men were killed when "
        "two missiles struck the car on a busy road, Palestinian medics said."
    )
    events = code_report(text, gazetteer=gazetteer).events
    assert list(events[s.EVENT_TYPE]) == ["Air/drone strike"]
    assert (events.iloc[0][s.KILLED_MIN], events.iloc[0][s.KILLED_MAX]) == ("4", "4")


def test_a_later_attack_by_its_own_striker_stays_a_second_event(gazetteer):
    text = (
        "date 2019-05-06\n"
        "A drone strike hit a convoy near Aden on Monday. Houthi shelling of a market in "
        "Taiz killed three people."
    )
    events = code_report(text, gazetteer=gazetteer).events
    assert list(events[s.EVENT_TYPE]) == ["Air/drone strike", SHELLING]


def test_a_run_of_thousands_of_digits_is_no_toll_and_no_crash(gazetteer):
    text = "date 2024-01-01\nAn air strike killed " + "9" * 5000 + " people in the town."
    event = code_report(text, gazetteer=gazetteer).events.iloc[0]
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == ("", "")


def test_a_megabyte_of_capitalised_names_is_coded(gazetteer):
    syllables = ["ka", "lo", "mir", "tan", "bel", "su", "dor", "vek", "ri", "gan"]
    names = " ".join(
        f"{syllables[n % 10].title()}{syllables[n // 10 % 10]}{syllables[n // 100 % 10]}"
        f" {syllables[n // 1000 % 10].title()}{syllables[n % 7]}"
        for n in range(80_000)
    )
    text = f"date 2024-01-01\n2 people were killed when an air strike hit {names}."
    assert len(text) > 1_000_000
    event = code_report(text, gazetteer=gazetteer).events.iloc[0]
    assert event[s.EVENT_TYPE] == "Air/drone strike"
    assert event[s.KILLED_MIN] == "2"


ALL_SETS = ("reports", "reports_fresh", *(f"reports_{name}" for name in UNSEEN_SETS))
ALL_CASES = [
    (folder, case)
    for name in ALL_SETS
    for folder in [Path(__file__).parent / name]
    for case in json.loads((folder / "expected.json").read_text(encoding="utf-8"))
]
# Known misses, kept visible: each fails today for the reason given (strict xfail).
KNOWN_MISSES = {
    "reports_eighth/de_chan_junis_2025.txt": "'Angriff' alone names no kind of strike",
    "reports_third/fr_goma_2024.txt": "'bombardements' alone names no kind of strike",
    "reports_fresh/es_saada_2022.txt": "a second air strike of the same type folds into the first",
}


def _case_param(folder: Path, case: dict):
    key = f"{folder.name}/{case['file']}"
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[key])] if key in KNOWN_MISSES else []
    )
    return pytest.param(folder, case, id=key, marks=marks)


@pytest.mark.parametrize(("folder", "case"), [_case_param(f, c) for f, c in ALL_CASES])
def test_every_whole_report_gets_its_strike_type_and_number_of_events(folder, case, gazetteer):
    """One event per report unless expected.json says how many strikes it tells of."""
    events = code_report((folder / case["file"]).read_text(encoding="utf-8"), gazetteer=gazetteer)
    assert events.events.iloc[0][s.EVENT_TYPE] == case["event_type"]
    assert len(events.events) == case.get("events", 1)


# Reports whose actors the coder gets wrong today, with the reason (strict xfail).
KNOWN_ACTOR_MISSES = {
    "reports/de_donezk_2024.txt": "'in der von Russland kontrollierten Stadt' reads as an agent",
    "reports_fifth/fr_mekele_2021.txt": "'L'aviation éthiopienne a mené deux raids'",
    "reports_fifth/es_marib_2021.txt": "'un misil balístico de los hutíes': 'de' is no agent word",
    "reports_fourth/fr_vinnytsia_2022.txt": "'tirés depuis un sous-marin russe': too far",
    "reports_fresh/nl_belgorod_2023.txt": "'Oekraïense aanval op de Russische grensstad'",
    "reports_seventh/nl_poltava_2024.txt": "'militair instituut': 'militair' is also a soldier",
    "reports_seventh/de_damaskus_2024.txt": "'Iran machte Israel verantwortlich' is read too",
    "reports_sixth/en_kharkiv_2024.txt": "'two Russian guided bombs hit': no strike word",
    "reports_sixth/en_deir_al_balah_2024.txt": "'Israeli aircraft struck': no strike word",
    "reports_third/en_kharkiv_2024.txt": "'bombs dropped by Russian aircraft struck'",
    "reports_third/nl_isfahan_2024.txt": "'Volgens Amerikaanse functionarissen': the source",
    "reports_third/de_majdalshams_2024.txt": "'auf den von Israel annektierten Golanhöhen'",
}
ACTOR_CASES = [(f, c) for f, c in ALL_CASES if "actor1" in c or "actor2" in c]


def _actor_param(folder: Path, case: dict):
    key = f"{folder.name}/{case['file']}"
    reason = KNOWN_ACTOR_MISSES.get(key)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(folder, case, id=key, marks=marks)


@pytest.mark.parametrize(("folder", "case"), [_actor_param(f, c) for f, c in ACTOR_CASES])
def test_every_whole_report_names_who_struck_and_who_was_hit(folder, case, gazetteer):
    """The striker and the party hit as the report states them: empty when it only reports
    a claim or blame, or when what was hit is a building or a crowd rather than a party."""
    event = code_report((folder / case["file"]).read_text(encoding="utf-8"), gazetteer=gazetteer)
    marks = score(event.events.iloc[0], case)
    assert [f for f in ("actor1", "actor2") if f in case and not marks[f]] == []


def test_the_actor_expectations_cover_most_reports():
    assert len(ACTOR_CASES) >= 0.8 * len(ALL_CASES)


@pytest.mark.parametrize(
    "text",
    [
        "date 2022-08-20\nShelling hit a market in Al-Bab on Friday, killing 4 civilians. "
        "Turkey blamed the Syrian army and Kurdish fighters for the shelling.",
        "date 2021-06-13\nUn ataque con cohetes contra un hospital de Afrin mató a 13 personas. "
        "Turquía acusó a las milicias kurdas del bombardeo.",
    ],
)
def test_a_sentence_that_blames_someone_names_no_striker(text, gazetteer):
    assert code_report(text, gazetteer=gazetteer).events.iloc[0][s.ACTOR1] == ""
