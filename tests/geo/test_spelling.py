"""Looser spellings inside a named province, and provinces written the Somali way, joined or
split. Every place and province here is invented: a small index is built from them."""

from __future__ import annotations

import pytest

from components.geo import admin_names, index_build
from components.geo.gazetteer import FEATURE_PLACE, FEATURE_REGION, Gazetteer
from components.geo.names import normalize_name
from components.geo.resolve import PROVINCE_PRECISION, PlaceResolver
from components.geo.spelling import near_spelling, region_core


def _city(geonameid, name, lat, lon, admin1, population, alternates=()):
    return {
        "geonameid": geonameid, "name": name, "latitude": lat, "longitude": lon,
        "countrycode": "SO", "population": population, "admin1code": admin1,
        "alternatenames": list(alternates),
    }  # fmt: skip


# Province 71 and 72 share a river's name; 73 is a district GeoNames names by one word, 74
# another province.
CITIES = [
    _city(91000001, "Dhaacow", 1.00, 43.00, "71", 6000),
    _city(91000002, "Bur Xamar", 1.10, 43.10, "71", 3000),
    _city(91000003, "Dool", 1.20, 43.20, "71", 900),
    _city(91000004, "Gaalo", 1.30, 43.30, "71", 700),
    _city(91000005, "Galo", 1.35, 43.35, "71", 800),
    _city(91000010, "Hargalle", 1.40, 43.40, "71", 1200),
    _city(91000006, "Ceelgaras", 2.00, 44.00, "72", 2000),
    _city(91000007, "Dhaqaraan", 2.10, 44.10, "72", 1500),
    _city(91000008, "Qabri", 3.00, 45.00, "73", 2500),
    _city(91000009, "Lindoor", 4.00, 46.00, "74", 2500),
]
PROVINCES = {
    ("SO", "71"): "Lower Qorrale",
    ("SO", "72"): "Middle Qorrale",
    ("SO", "73"): "Hawd District",
    ("SO", "74"): "Marodi",
}


@pytest.fixture(scope="module")
def resolver(tmp_path_factory) -> PlaceResolver:
    cities = {str(c["geonameid"]): c for c in CITIES}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_build, "_cities500", lambda: cities)
        patch.setattr(index_build.admin_names, "admin1_names", lambda found: dict(PROVINCES))
        gazetteer = Gazetteer.build(tmp_path_factory.mktemp("invented-gazetteer"))
    return PlaceResolver(gazetteer)


def _key(text: str) -> str:
    return normalize_name(text)


# ---------------------------------------------------------------------------------------
# The keys


@pytest.mark.parametrize(
    ("one", "other"),
    [("Dhaakow", "Dhaacow"), ("Bur Hamar", "Bur Xamar"), ("Dooll", "Dool"), ("Tokk", "Tok")],
)
def test_spellings_of_one_place_meet(one, other):
    assert near_spelling(_key(one)) == near_spelling(_key(other)) != ""


@pytest.mark.parametrize(("one", "other"), [("Gakoe", "Kikuyo"), ("Dool", "Dala"), ("Tok", "Tak")])
def test_short_names_keep_their_vowels(one, other):
    assert near_spelling(_key(one)) != near_spelling(_key(other))


def test_a_somali_province_name_meets_its_english_one_in_any_order():
    assert region_core(_key("Qorraleha Hoose")) == region_core(_key("Lower Qorrale"))
    assert region_core(_key("Qorraleha Dhexe")) == region_core(_key("Middle Qorrale"))
    assert region_core(_key("Qorraleha Hoose")) != region_core(_key("Middle Qorrale"))


# ---------------------------------------------------------------------------------------
# Inside a named province


@pytest.mark.parametrize(
    ("written", "place"),
    [("Dhaakow", "Dhaacow"), ("Bur Hamar", "Bur Xamar"), ("Dooll", "Dool")],
)
def test_a_looser_spelling_is_found_inside_the_named_province(resolver, written, place):
    found = resolver.resolve(written, "Lower Qorrale", "", "Somalia")
    assert found.place is not None and found.place.name == place
    assert found.geo_precision == 1


def test_a_looser_spelling_never_reaches_into_another_province(resolver):
    found = resolver.resolve("Dhaakow", "Middle Qorrale", "", "Somalia")
    # Not Dhaacow of Lower Qorrale: the named province's point, said as such.
    assert found.place.feature == FEATURE_REGION and found.place.admin1 == "72"
    assert found.geo_precision == PROVINCE_PRECISION


def test_a_name_spelled_almost_alike_is_found_inside_the_named_province(resolver):
    found = resolver.resolve("Dhaqaraam", "Middle Qorrale", "", "Somalia")
    assert found.place.name == "Dhaqaraan" and found.geo_precision == 1


def test_a_name_spelled_alike_but_for_its_first_letter_is_another_place(resolver):
    found = resolver.resolve("Argalle", "Lower Qorrale", "", "Somalia")
    assert found.place.feature == FEATURE_REGION


def test_two_places_meeting_one_spelling_give_the_province_not_a_guess(resolver):
    found = resolver.resolve("Gallo", "Lower Qorrale", "", "Somalia")
    assert found.place.feature == FEATURE_REGION and found.place.admin1 == "71"


def test_outside_any_named_province_a_short_loose_spelling_finds_nothing(resolver):
    # Without a province to bound it, "Dooll" is too short to fold.
    assert resolver.resolve("Dooll", "", "", "Somalia").place is None


# ---------------------------------------------------------------------------------------
# Provinces as datasets write them


@pytest.mark.parametrize(
    ("written", "admin1"), [("Qorraleha Hoose", "71"), ("Qorraleha Dhexe", "72")]
)
def test_somali_province_names_are_read(resolver, written, admin1):
    region = resolver.region(written, "SO")
    assert region is not None and region.admin1s == {admin1}


def test_a_province_joined_with_an_unknown_name_is_read_by_its_known_part(resolver):
    region = resolver.region("Hawd-Sarar", "SO")
    assert region is not None and region.admin1s == {"73"}


def test_two_provinces_joined_in_one_name_are_neither(resolver):
    region = resolver.region("Hawd-Marodi", "SO")
    assert region is None or len(region.admin1s) != 1


def test_a_split_province_is_narrowed_by_the_part_its_district_column_names(resolver):
    assert resolver.region("Qorrale", "SO").admin1s == {"71", "72"}
    found = resolver.resolve("Nowhere Wells", "Qorrale", "Middle Qorrale", "Somalia")
    assert found.place.feature == FEATURE_REGION and found.place.admin1 == "72"
    # A place named in the other part is not taken once the district column narrows it.
    found = resolver.resolve("Dhaacow", "Qorrale", "Middle Qorrale", "Somalia")
    assert found.place.admin1 == "72" and found.place.feature == FEATURE_REGION
    # Without the district column the split province bounds the search but gives no fallback.
    assert resolver.resolve("Nowhere Wells", "Qorrale", "", "Somalia").place is None
    assert resolver.resolve("Dhaacow", "Qorrale", "", "Somalia").place.feature == FEATURE_PLACE


# ---------------------------------------------------------------------------------------
# GeoNames' province names, tied to codes through towns


def test_a_town_whose_point_moved_between_dumps_still_names_its_province(tmp_path, monkeypatch):
    data = tmp_path / "rg_cities1000.csv"
    data.write_text(
        "lat,lon,name,admin1,admin2,cc\n"
        "1.0,43.0,Dhaacow,Lower Qorrale,,SO\n"  # the same point
        "2.02,44.01,Ceelgaras,Middle Qorrale,,SO\n"  # moved ~2.5 km
        "3.6,45.0,Qabri,Far Province,,SO\n"  # a namesake ~67 km away: not this town
        "2.1,44.1,Dhaqaraan,Wrong Name,,SO\n",  # at the point: outvotes the moved one
        encoding="utf-8",
    )
    monkeypatch.setattr(admin_names, "data_file", lambda: data)
    names = admin_names.admin1_names(CITIES)
    assert names[("SO", "71")] == "Lower Qorrale"
    assert names[("SO", "72")] == "Wrong Name"
    assert ("SO", "73") not in names
    data.write_text(
        "lat,lon,name,admin1,admin2,cc\n2.02,44.01,Ceelgaras,Middle Qorrale,,SO\n",
        encoding="utf-8",
    )
    assert admin_names.admin1_names(CITIES)[("SO", "72")] == "Middle Qorrale"
