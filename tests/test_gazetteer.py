"""The offline gazetteer: name normalisation, lookups, country names, and the on-disk index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components import gazetteer as gazetteer_module
from components.errors import GazetteerError
from components.gazetteer import (
    COUNTRY_NAMES_FILE,
    FEATURE_COUNTRY,
    FEATURE_PLACE,
    MANIFEST_FILE,
    MATCH_ALTERNATE,
    MATCH_FOLDED,
    MATCH_NAME,
    NAMES_FILE,
    PLACES_FILE,
    Gazetteer,
    default_gazetteer,
    fold_name,
    normalize_name,
)

INDEX_FILES = (PLACES_FILE, NAMES_FILE, COUNTRY_NAMES_FILE)


@pytest.fixture
def builds(gazetteer_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make index builds instant (they reuse the session's tables) and count them."""
    tables = tuple(gazetteer_module._read_table(gazetteer_dir / file) for file in INDEX_FILES)
    calls: list[int] = []

    def build_tables():
        calls.append(1)
        return tables

    monkeypatch.setattr(gazetteer_module, "_build_tables", build_tables)
    return calls


# ---------------------------------------------------------------------------------------
# normalize_name and fold_name

SAME_NORMALIZED_NAME = [
    ("Deir ez-Zor", "deir ez zor"),
    ("DEIR  EZ_ZOR", "deir ez zor"),
    ("Dayr az-Zawr.", "dayr az zawr"),
    ("Ḩalab", "halab"),
    ("Ma'rib", "marib"),
    ("Maʿrib", "marib"),
    ("Maʾrib", "marib"),
    ("Ma’rib", "marib"),
    ("Ma`rib", "marib"),
    ("Ma´rib", "marib"),
    ("Şiria", "siria"),
    ("Łódź", "lodz"),
    ("Straße", "strasse"),
    ("İzmir", "izmir"),
    ("  Kyiv \t", "kyiv"),
    ("Київ", "киів"),
    ("دَيْر الزُّور", "دير الزور"),
    ("دیر الزور", "دير الزور"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), SAME_NORMALIZED_NAME)
def test_normalized_name_ignores_accents_case_apostrophes_and_punctuation(text, expected):
    assert normalize_name(text) == expected


def test_normalized_name_of_a_missing_value_is_empty():
    assert normalize_name(None) == ""  # type: ignore[arg-type]
    assert normalize_name(float("nan")) == ""  # type: ignore[arg-type]


FOLD_TOGETHER = [
    ("Deir ez-Zour", "Dayr az Zawr", "Deir Azzour", "Dair al-Zor"),
    ("Hodeidah", "Al Hudaydah"),
    ("Qamishli", "Al Qāmishlī", "Kamishli"),
    ("Mayadeen", "Al Mayadin", "al-Mayādīn"),
    ("الرقة", "الرقه", "رقة"),
]


@pytest.mark.parametrize("spellings", FOLD_TOGETHER)
def test_transliterations_of_one_name_fold_to_the_same_key(spellings):
    keys = {fold_name(normalize_name(spelling)) for spelling in spellings}
    assert len(keys) == 1
    assert keys != {""}


@pytest.mark.parametrize("name", ["Raqqa", "Kyiv", "Gaza", "Київ", ""])
def test_names_with_fewer_than_three_consonants_have_no_folded_key(name):
    assert fold_name(normalize_name(name)) == ""


# ---------------------------------------------------------------------------------------
# lookup

MUST_RESOLVE = [
    # (query, country hint, GeoNames id)
    ("Deir ez-Zor", "Syria", 170794),
    ("Deir ez-Zor", None, 170794),
    ("Dayr az-Zawr", None, 170794),
    ("Deir al-Zour", "SY", 170794),
    ("دير الزور", None, 170794),
    ("Deir Ez Zour", None, 170794),
    ("Deir Azzour", "SY", 170794),
    ("Aleppo", None, 170063),
    ("Halab", None, 170063),
    ("حلب", "Syria", 170063),
    ("Raqqa", None, 172955),
    ("الرقة", None, 172955),
    ("Al-Raqqa", None, 172955),
    ("Mosul", "Iraq", 99072),
    ("الموصل", None, 99072),
    ("Kyiv", None, 703448),
    ("Kiev", None, 703448),
    ("Київ", "UA", 703448),
    ("Gaza", "Palestine", 281133),
    ("Gaza", None, 281133),
    ("Khan Younis", "PS", 281124),
    ("Deir al-Balah", "PS", 281141),
    ("Tripoli", "LB", 266826),
    ("Tripoli", "Lebanon", 266826),
    ("Tripoli", "Libya", 2210247),
    ("Tripoli", None, 2210247),
    ("Hodeidah", "Yemen", 79415),
    ("Sana'a", None, 71137),
    ("Mayadeen", "Syria", 173480),
    ("Qamishli", "SY", 173377),
    ("Fallujah", "IQ", 99454),
    ("Bakhmut", "Ukraine", 713174),
    ("Palmyra", "Syria", 163808),
    ("Syria", None, 163843),
    ("Syrië", None, 163843),
    ("Siria", None, 163843),
]


@pytest.mark.parametrize(("query", "hint", "geonameid"), MUST_RESOLVE)
def test_place_names_in_any_spelling_resolve_to_the_right_place(gazetteer, query, hint, geonameid):
    places = gazetteer.lookup(query, hint)
    assert places, f"{query!r} found nothing"
    assert places[0].geonameid == geonameid


MUST_FIND_NOTHING = [
    ("Xqzvbnm", None),
    ("Qwrtzp Lkjhg", "Syria"),
    ("", None),
    ("  - . ", None),
    # A loose spelling that fits Medan, Medellín, Medina ... is not guessed at.
    ("Mayadeen", None),
]


@pytest.mark.parametrize(("query", "hint"), MUST_FIND_NOTHING)
def test_names_that_are_no_known_place_find_nothing(gazetteer, query, hint):
    assert gazetteer.lookup(query, hint) == []


def test_seed_place_has_the_geonames_coordinates(gazetteer):
    place = gazetteer.lookup("Deir ez-Zor", "Syria")[0]
    assert (place.latitude, place.longitude) == (35.33588, 40.14084)
    assert place.name == "Deir ez-Zor"
    assert place.country_code == "SY"
    assert place.feature == FEATURE_PLACE
    assert place.geo_precision == 1
    assert place.match == MATCH_NAME


def test_ambiguous_place_prefers_the_country_of_the_event(gazetteer):
    in_lebanon = gazetteer.lookup("Tripoli", "LB")
    in_libya = gazetteer.lookup("Tripoli", "LY")
    assert in_lebanon[0].country_code == "LB"
    assert in_libya[0].country_code == "LY"
    assert {p.geonameid for p in in_lebanon} == {p.geonameid for p in in_libya}


def test_without_a_country_the_larger_homonym_comes_first(gazetteer):
    populations = [place.population for place in gazetteer.lookup("Tripoli")]
    assert populations == sorted(populations, reverse=True)


def test_a_country_hint_can_be_a_code_or_a_name_in_any_language(gazetteer):
    for hint in ("LB", "lb", "LBN", "Lebanon", "Libanon", "لبنان"):
        assert gazetteer.lookup("Tripoli", hint)[0].geonameid == 266826


def test_a_big_place_known_by_an_alternate_name_beats_a_village_of_that_name(gazetteer):
    derna = gazetteer.lookup("Derna")
    assert derna[0].country_code == "LY"
    assert derna[0].match == MATCH_ALTERNATE
    assert any(place.match == MATCH_NAME for place in derna[1:])


def test_country_names_find_the_country_at_region_precision(gazetteer):
    syria = gazetteer.lookup("Syria")[0]
    assert syria.feature == FEATURE_COUNTRY
    assert syria.geo_precision == 3
    assert syria.country_code == "SY"
    assert 32.3 < syria.latitude < 37.4
    assert 35.7 < syria.longitude < 42.4


def test_country_name_beats_a_village_of_the_same_name(gazetteer):
    places = gazetteer.lookup("Lebanon")
    assert places[0].feature == FEATURE_COUNTRY
    assert places[0].country_code == "LB"


def test_with_a_hint_a_town_in_that_country_beats_a_foreign_country(gazetteer):
    assert gazetteer.lookup("Lebanon", "US")[0].country_code == "US"


def test_loose_spelling_is_marked_as_a_folded_match(gazetteer):
    place = gazetteer.lookup("Deir Ez Zour")[0]
    assert place.geonameid == 170794
    assert place.match == MATCH_FOLDED


def test_limit_caps_the_number_of_places(gazetteer):
    assert len(gazetteer.lookup("Tripoli", limit=2)) == 2


def test_airport_codes_are_not_place_names(gazetteer):
    assert all(place.geonameid != 170794 for place in gazetteer.lookup("DEZ"))


# ---------------------------------------------------------------------------------------
# country_code

COUNTRY_CODES = [
    ("Syria", "SY"),
    ("Syrië", "SY"),
    ("Syrien", "SY"),
    ("Siria", "SY"),
    ("Сирия", "SY"),
    ("سوريا", "SY"),
    ("Syrian Arab Republic", "SY"),
    ("SYR", "SY"),
    ("syr", "SY"),
    ("sy", "SY"),
    ("SY", "SY"),
    ("  Syria ", "SY"),
    ("Iraq", "IQ"),
    ("العراق", "IQ"),
    ("Palestine", "PS"),
    ("Ukraine", "UA"),
    ("Україна", "UA"),
    ("Russia", "RU"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("Democratic Republic of Congo", "CD"),
    ("Kosovo", "XK"),
    ("United Kingdom", "GB"),
    ("Mexico", "MX"),
]


@pytest.mark.parametrize(("text", "code"), COUNTRY_CODES)
def test_country_codes_and_names_in_any_language_give_the_iso_code(gazetteer, text, code):
    assert gazetteer.country_code(text) == code


@pytest.mark.parametrize("text", ["", "XX", "ZZZ", "Gaza", "Korea", "Atlantis", None])
def test_unknown_or_ambiguous_country_names_give_no_code(gazetteer, text):
    assert gazetteer.country_code(text) is None


def test_country_place_and_name_by_code(gazetteer):
    assert gazetteer.country("sy").geonameid == 163843
    assert gazetteer.country_name("SY") == "Syria"
    assert gazetteer.country("XX") is None


def test_default_gazetteer_uses_the_cache_directory_from_the_environment(
    gazetteer_dir, monkeypatch
):
    monkeypatch.setenv(gazetteer_module.CACHE_DIR_ENV, str(gazetteer_dir))
    monkeypatch.setattr(gazetteer_module, "_DEFAULT_INSTANCES", {})
    first = default_gazetteer()
    assert first is default_gazetteer()
    assert gazetteer_module.country_code("Syrië") == "SY"


# ---------------------------------------------------------------------------------------
# The index on disk


def test_missing_index_is_built_once_and_then_loaded(tmp_path, builds):
    first = Gazetteer.load(tmp_path)
    second = Gazetteer.load(tmp_path)
    assert builds == [1]
    assert len(first) == len(second) > 200_000
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    assert manifest["version"] == gazetteer_module.INDEX_VERSION
    assert manifest["files"][PLACES_FILE]["rows"] == len(first)


def test_building_leaves_no_temporary_files(tmp_path, builds):
    Gazetteer.load(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_index_from_another_version_is_rebuilt(tmp_path, builds):
    Gazetteer.load(tmp_path)
    manifest_path = tmp_path / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps(manifest | {"version": -1}))
    rebuilt = Gazetteer.load(tmp_path)
    assert builds == [1, 1]
    assert rebuilt.lookup("Aleppo")[0].geonameid == 170063


@pytest.mark.parametrize("damaged_file", [*INDEX_FILES, MANIFEST_FILE])
def test_truncated_index_file_is_detected_and_rebuilt(tmp_path, builds, damaged_file):
    Gazetteer.load(tmp_path)
    path = tmp_path / damaged_file
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    rebuilt = Gazetteer.load(tmp_path)
    assert builds == [1, 1]
    assert rebuilt.lookup("Deir ez-Zor", "SY")[0].geonameid == 170794


def test_index_file_with_changed_bytes_is_detected_and_rebuilt(tmp_path, builds):
    Gazetteer.load(tmp_path)
    path = tmp_path / NAMES_FILE
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))
    Gazetteer.load(tmp_path)
    assert builds == [1, 1]


def test_missing_index_file_is_rebuilt(tmp_path, builds):
    Gazetteer.load(tmp_path)
    (tmp_path / NAMES_FILE).unlink()
    Gazetteer.load(tmp_path)
    assert builds == [1, 1]


def test_unusable_cache_directory_raises_a_gazetteer_error(tmp_path, builds):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    with pytest.raises(GazetteerError, match="file"):
        Gazetteer.load(not_a_directory)
