"""Rows placed as ACLED and UCDP write them: countries in every spelling, provinces and
districts choosing among namesakes, honest fallbacks, transliteration habits."""

from __future__ import annotations

import pytest

from components.geo.countries import country_name_variants, fips_country_code
from components.geo.distance import km
from components.geo.gazetteer import FEATURE_PLACE, FEATURE_REGION, Gazetteer
from components.geo.names import name_parts
from components.geo.resolve import PlaceResolver


@pytest.fixture(scope="module")
def resolver(gazetteer_dir) -> PlaceResolver:
    return PlaceResolver(Gazetteer.load(gazetteer_dir))


# ---------------------------------------------------------------------------------------
# Countries

COUNTRY_SPELLINGS = [
    ("DR Congo (Zaire)", "CD"),
    ("Yemen (North Yemen)", "YE"),
    ("Russia (Soviet Union)", "RU"),
    ("Myanmar (Burma)", "MM"),
    ("Cambodia (Kampuchea)", "KH"),
    ("Zimbabwe (Rhodesia)", "ZW"),
    ("Serbia (Yugoslavia)", "RS"),
    ("Madagascar (Malagasy)", "MG"),
    ("Kingdom of eSwatini (Swaziland)", "SZ"),
    ("Democratic Republic of Congo", "CD"),
    ("Bosnia-Herzegovina", "BA"),
    ("Macedonia, FYR", "MK"),
    ("the Gambia", "GM"),
    ("Ivory Coast", "CI"),
    ("Palestine", "PS"),
    # The five report languages.
    ("Oekraïne", "UA"),
    ("Jemen", "YE"),
    ("Syrie", "SY"),
    ("Siria", "SY"),
    ("Demokratische Republik Kongo", "CD"),
    ("République démocratique du Congo", "CD"),
    ("Democratische Republiek Congo", "CD"),
    ("Elfenbeinküste", "CI"),
]


@pytest.mark.parametrize(("text", "code"), COUNTRY_SPELLINGS)
def test_countries_are_read_in_the_spellings_datasets_and_reports_use(resolver, text, code):
    assert resolver.country_code(text) == code


def test_a_bracketed_former_name_is_read_by_a_general_rule():
    assert country_name_variants("Newland (Oldland)") == ["Newland (Oldland)", "Newland", "Oldland"]


@pytest.mark.parametrize(
    ("fips", "iso"), [("IS", "IL"), ("IZ", "IQ"), ("YM", "YE"), ("UP", "UA"), ("SY", "SY")]
)
def test_gdelt_fips_codes_become_iso_codes(fips, iso):
    assert fips_country_code(fips) == iso


def test_an_unknown_fips_code_is_no_country():
    assert fips_country_code("QQ") is None


def test_an_unreadable_country_is_a_problem_and_never_a_world_search(resolver):
    found = resolver.resolve("Aleppo", "", "", "Atlantis (Lemuria)")
    assert found.place is None
    assert "Atlantis" in found.problem


def test_a_named_country_bounds_the_answer(resolver):
    # Tripoli is in Libya and in Lebanon: the row's country decides, never the bigger one.
    found = resolver.resolve("Tripoli", "", "", "Lebanon")
    assert found.place.country_code == "LB"


# ---------------------------------------------------------------------------------------
# Provinces and districts


@pytest.mark.parametrize(
    ("admin1", "country", "capital"),
    [
        ("Nord-Kivu", "CD", "Goma"),
        ("Nord Kivu province", "CD", "Goma"),
        ("Deir ez Zor", "SY", "Deir ez-Zor"),
        ("Ninewa", "IQ", "Mosul"),
        ("Sadah", "YE", "Sa'dah"),
        ("Kyiv oblast", "UA", "Bila Tserkva"),
        ("Donetsk oblast", "UA", "Kramatorsk"),
    ],
)
def test_provinces_are_read_as_the_datasets_write_them(resolver, admin1, country, capital):
    region = resolver.region(admin1, country)
    assert region is not None, admin1
    town = resolver.gazetteer.exact_places(capital, country)[0]
    assert town.admin1 in region.admin1s


def test_compass_words_keep_provinces_apart(resolver):
    north = resolver.region("North Sinai", "EG")
    south = resolver.region("South Sinai", "EG")
    assert north is None or south is None or not north.admin1s & south.admin1s


def test_the_province_chooses_among_namesakes(resolver):
    # Any name borne by places in two provinces of one country: each province gets its own.
    gazetteer = resolver.gazetteer
    places = [p for p in gazetteer.exact_places("Ivanivka", "UA") if p.feature == FEATURE_PLACE]
    regions = sorted({p.admin1 for p in places})
    assert len(regions) >= 2
    for admin1 in regions[:4]:
        region = gazetteer.region_by_code("UA", admin1)
        found = resolver.resolve("Ivanivka", region.name, "", "Ukraine")
        assert found.place.admin1 == admin1, region.name
        assert found.place.geonameid in {p.geonameid for p in places if p.admin1 == admin1}
        assert found.geo_precision == 1


def test_a_name_not_found_falls_back_to_a_point_inside_its_province(resolver):
    found = resolver.resolve("Xqzvbnm", "Idlib", "", "Syria")
    assert found.place.feature == FEATURE_REGION
    assert found.geo_precision == 3
    idlib = resolver.gazetteer.exact_places("Idlib", "SY")[0]
    assert found.place.admin1 == idlib.admin1
    assert km((found.place.latitude, found.place.longitude), (idlib.latitude, idlib.longitude)) < 60


def test_a_name_not_found_falls_back_to_its_district_first(resolver):
    found = resolver.resolve("Xqzvbnm", "Donetsk oblast", "Mariupol City municipality", "Ukraine")
    assert found.place.name == "Mariupol"
    assert found.geo_precision == 2


def test_a_district_written_as_an_adjective_is_read(resolver):
    found = resolver.resolve("Xqzvbnm", "Donetsk", "Kramatorskyi", "Ukraine")
    assert found.place.name == "Kramatorsk"
    assert found.geo_precision == 2


def test_an_unreadable_province_gives_no_fallback(resolver):
    found = resolver.resolve("Xqzvbnm", "Qwrtzp", "", "Syria")
    assert found.place is None
    assert "Qwrtzp" in found.problem


# ---------------------------------------------------------------------------------------
# Names


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Qamishli", "Syria", "Al Qamishli"),
        ("Kamishli", "Syria", "Al Qamishli"),
        ("Hodeidah", "Yemen", "Al Hudaydah"),
        ("Chan Scheichun", "Syrien", "Khan Shaykhun"),
        ("Shyrokyne village", "Ukraine", "Shyrokyne"),
        ("Mariupol town", "Ukraine", "Mariupol"),
        ("El Geneina", "Sudan", "Geneina"),
    ],
)
def test_press_and_dataset_spellings_find_the_place(resolver, name, country, expected):
    found = resolver.resolve(name, "", "", country)
    assert found.place is not None, name
    wanted = resolver.gazetteer.exact_places(expected, found.place.country_code)[0]
    point = (found.place.latitude, found.place.longitude)
    assert km(point, (wanted.latitude, wanted.longitude)) < 5


def test_a_city_and_its_district_read_as_the_city_near_it():
    assert name_parts("Mogadishu - Hodan") == [
        ("Mogadishu - Hodan", 1),
        ("Hodan", 1),
        ("Mogadishu", 2),
    ]
