"""Geocoding: the gazetteer as a geopy geocoder, the answer cache, and geocode_events."""

from __future__ import annotations

import socket
import sqlite3

import pandas as pd
import pytest
from geopy.distance import distance
from geopy.exc import GeocoderUnavailable
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from components.geo.distance import km
from components.geo.gazetteer import Gazetteer
from components.geo.geocoder import (
    GazetteerGeocoder,
    GeocodeAnswer,
    GeocodeCache,
    geocode_events,
)
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    EVENT_ID,
    GEO_PRECISION,
    GEOCODER,
    LATITUDE,
    LOCATION,
    LONGITUDE,
    MATCHED_NAME,
    NOTES,
)


@pytest.fixture(scope="session")
def geocoder(gazetteer: Gazetteer) -> GazetteerGeocoder:
    return GazetteerGeocoder(gazetteer)


class CountingGeocoder(Geocoder):
    """Passes queries on to another geocoder and remembers them."""

    provider_id = "counting"

    def __init__(self, inner: Geocoder) -> None:
        super().__init__()
        self.inner = inner
        self.queries: list[tuple[str, str | None]] = []

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL, country_codes=None):
        self.queries.append((query, country_codes))
        return self.inner.geocode(query, exactly_one=exactly_one, country_codes=country_codes)


class NominatimLikeGeocoder(Geocoder):
    """Answers every query with one OSM relation, the way Nominatim's raw answers look."""

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL, country_codes=None):
        raw = {"osm_type": "relation", "osm_id": 1234, "name": "Somewhere", "addresstype": "town"}
        return Location("Somewhere, Syria", (35.0, 38.0), raw)


# ---------------------------------------------------------------------------------------
# GazetteerGeocoder

MUST_RESOLVE = [
    # (query, country_codes, GeoNames id)
    ("Deir ez-Zor", "SY", 170794),
    ("Aleppo", None, 170063),
    ("Halab", None, 170063),
    ("حلب", "SY", 170063),
    ("Dayr az-Zawr", "SY", 170794),
    ("Deir al-Zour", None, 170794),
    ("دير الزور", None, 170794),
    ("Raqqa", "SY", 172955),
    ("الرقة", None, 172955),
    ("Mosul", "IQ", 99072),
    ("Kyiv", None, 703448),
    ("Kiev", "UA", 703448),
    ("Київ", None, 703448),
    ("Gaza", "PS", 281133),
    ("Tripoli", "LB", 266826),
    ("Tripoli", "Libya", 2210247),
    ("Tripoli", ["LB"], 266826),
    ("Tripoli, Lebanon", None, 266826),
    ("Hodeidah", "YE", 79415),
    ("Syria", None, 163843),
]


@pytest.mark.parametrize(("query", "countries", "geonameid"), MUST_RESOLVE)
def test_geocoder_resolves_place_names_in_any_spelling(geocoder, query, countries, geonameid):
    location = geocoder.geocode(query, country_codes=countries)
    assert isinstance(location, Location)
    assert location.raw["geonameid"] == geonameid
    assert location.raw["geocoder"] == f"gazetteer:{geonameid}"


NEAR_EXPECTED_POINT = [
    # (query, country_codes, (latitude, longitude)); within 25 km
    ("Deir ez-Zor", "Syria", (35.336, 40.141)),
    ("Aleppo", "SY", (36.202, 37.161)),
    ("Mosul", None, (36.335, 43.119)),
    ("Kyiv", None, (50.450, 30.524)),
    ("Gaza", None, (31.502, 34.467)),
    ("Tripoli", "LB", (34.437, 35.850)),
    ("Tripoli", "LY", (32.887, 13.191)),
]


@pytest.mark.parametrize(("query", "countries", "point"), NEAR_EXPECTED_POINT)
def test_geocoder_puts_places_within_25_km_of_where_they_are(geocoder, query, countries, point):
    location = geocoder.geocode(query, country_codes=countries)
    assert distance((location.latitude, location.longitude), point).km < 25


MUST_FIND_NOTHING = [
    ("Xqzvbnm", None),
    ("Xqzvbnm", "SY"),
    ("", None),
    ("Aleppo", "LB"),
    ("Aleppo", "ZZ"),
    ("Tripoli, Atlantis", None),
    ("Mayadeen", None),
]


@pytest.mark.parametrize(("query", "countries"), MUST_FIND_NOTHING)
def test_geocoder_returns_none_for_what_it_cannot_place(geocoder, query, countries):
    assert geocoder.geocode(query, country_codes=countries) is None


def test_ambiguous_place_prefers_the_country_of_the_event(geocoder):
    lebanon = geocoder.geocode("Tripoli", country_codes="LB")
    libya = geocoder.geocode("Tripoli", country_codes="Libya")
    assert lebanon.raw["country_code"] == "LB"
    assert libya.raw["country_code"] == "LY"
    assert lebanon.address == "Tripoli, Lebanon"


def test_location_raw_describes_the_gazetteer_match(geocoder):
    location = geocoder.geocode("Deir ez-Zor", country_codes="SY")
    assert location.point.latitude == 35.33588
    assert location.point.longitude == 40.14084
    assert location.address == "Deir ez-Zor, Syria"
    assert location.raw | {"match": None} == {
        "geonameid": 170794,
        "name": "Deir ez-Zor",
        "latitude": 35.33588,
        "longitude": 40.14084,
        "country_code": "SY",
        "population": 271800,
        "feature": "place",
        "geo_precision": 1,
        "match": None,
        "admin1": "07",
        "geocoder": "gazetteer:170794",
    }


def test_several_answers_come_ranked_as_a_list(geocoder):
    locations = geocoder.geocode("Tripoli", exactly_one=False)
    assert [loc.raw["country_code"] for loc in locations[:2]] == ["LY", "LB"]
    assert len(geocoder.geocode("Tripoli", exactly_one=False, limit=1)) == 1
    assert geocoder.geocode("Xqzvbnm", exactly_one=False) is None


def test_geocoder_works_wrapped_in_a_rate_limiter(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert geocode("Aleppo").raw["geonameid"] == 170063
    assert geocode("Tripoli", country_codes="LB").raw["geonameid"] == 266826


def test_geocoder_never_touches_the_network(gazetteer, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the offline geocoder opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    geocoder = GazetteerGeocoder(gazetteer, timeout=1, user_agent="strikemap-test")
    assert geocoder.geocode("Gaza").raw["geonameid"] == 281133


def test_geocoder_rejects_queries_that_are_not_text(geocoder):
    with pytest.raises(TypeError):
        geocoder.geocode({"city": "Aleppo"})


# ---------------------------------------------------------------------------------------
# GeocodeCache

ALEPPO = GeocodeAnswer(36.20124, 37.16117, "gazetteer:170063", "Aleppo", 1)


def test_cached_answers_survive_a_new_cache_object(tmp_path):
    path = tmp_path / "cache.json"
    cache = GeocodeCache(path)
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO)
    cache.put("gazetteer", "Xqzvbnm", None, None)
    cache.save()
    reopened = GeocodeCache(path)
    assert reopened.get("gazetteer", "ALEPPO", "sy") == ALEPPO
    assert reopened.has("gazetteer", "Xqzvbnm")
    assert reopened.get("gazetteer", "Xqzvbnm") is None
    assert not reopened.has("gazetteer", "Aleppo", "TR")
    assert not reopened.has("nominatim", "Aleppo", "SY")


def test_cache_writes_leave_no_temporary_files(tmp_path):
    cache = GeocodeCache(tmp_path / "cache.json", autosave_every=1)
    for i in range(5):
        cache.put("gazetteer", f"place {i}", None, None)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == ["cache.json"]


def test_cache_saves_by_itself_every_few_answers(tmp_path):
    path = tmp_path / "cache.json"
    cache = GeocodeCache(path, autosave_every=2)
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO)
    assert not path.exists()
    cache.put("gazetteer", "Xqzvbnm", None, None)
    assert len(GeocodeCache(path)) == 2


def test_saving_keeps_answers_another_process_saved_meanwhile(tmp_path):
    path = tmp_path / "cache.json"
    ours, theirs = GeocodeCache(path), GeocodeCache(path)
    theirs.put("gazetteer", "Xqzvbnm", None, None)
    theirs.save()
    ours.put("gazetteer", "Aleppo", "SY", ALEPPO)
    ours.save()
    assert len(GeocodeCache(path)) == 2


CORRUPT_CACHE_FILES = [
    "",
    "{ this is not a database",
    '["a list"]',
    '{"format": "strikemap-geocode-cache", "version": 1, "answers": []}',
    "SQLite format 3\x00" + "garbage " * 200,
]


@pytest.mark.parametrize("content", CORRUPT_CACHE_FILES)
def test_corrupt_cache_file_is_set_aside_and_rebuilt(tmp_path, content):
    path = tmp_path / "cache.json"
    path.write_text(content)
    cache = GeocodeCache(path)
    assert len(cache) == 0
    assert (tmp_path / "cache.json.corrupt").read_text() == content
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO)
    cache.save()
    assert GeocodeCache(path).get("gazetteer", "Aleppo", "SY") == ALEPPO


def test_an_invalid_answer_in_the_cache_is_ignored_and_the_rest_kept(tmp_path):
    path = tmp_path / "cache.sqlite"
    cache = GeocodeCache(path)
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO)
    cache.put("gazetteer", "Nowhere", "SY", ALEPPO)
    cache.save()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE answers SET latitude = 361 WHERE query = 'nowhere'")
    connection.close()
    reopened = GeocodeCache(path)
    assert reopened.get("gazetteer", "Aleppo", "SY") == ALEPPO
    assert not reopened.has("gazetteer", "Nowhere", "SY")


def test_answers_that_used_province_and_district_are_kept_apart(tmp_path):
    cache = GeocodeCache(tmp_path / "cache.sqlite")
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO, admin1="Aleppo")
    cache.save()
    reopened = GeocodeCache(tmp_path / "cache.sqlite")
    assert reopened.get("gazetteer", "Aleppo", "SY", admin1="ALEPPO") == ALEPPO
    assert not reopened.has("gazetteer", "Aleppo", "SY")
    assert not reopened.has("gazetteer", "Aleppo", "SY", admin1="Idlib")


def test_unwritable_cache_does_not_stop_geocoding(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    cache = GeocodeCache(blocker / "cache.json")
    cache.put("gazetteer", "Aleppo", "SY", ALEPPO)
    cache.save()
    assert cache.get("gazetteer", "Aleppo", "SY") == ALEPPO


def test_second_lookup_is_served_from_the_cache(geocoder, tmp_path):
    counting = CountingGeocoder(geocoder)
    events = _events([{LOCATION: "Aleppo", COUNTRY: "Syria"}])
    first = geocode_events(events, geocoder=counting, cache=GeocodeCache(tmp_path / "c.json"))
    second = geocode_events(events, geocoder=counting, cache=GeocodeCache(tmp_path / "c.json"))
    assert counting.queries == [("Aleppo", "SY")]
    pd.testing.assert_frame_equal(first, second)


def test_not_found_is_cached_too(geocoder, tmp_path):
    counting = CountingGeocoder(geocoder)
    events = _events([{LOCATION: "Xqzvbnm"}])
    for _ in range(2):
        geocode_events(events, geocoder=counting, cache=GeocodeCache(tmp_path / "c.json"))
    assert counting.queries == [("Xqzvbnm", None)]


def test_failures_swallowed_by_a_rate_limiter_are_not_cached_as_not_found(tmp_path):
    class FailingGeocoder(Geocoder):
        def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
            raise GeocoderUnavailable("server down")

    geocode = RateLimiter(FailingGeocoder().geocode, max_retries=0, error_wait_seconds=0)
    cache = GeocodeCache(tmp_path / "cache.json")
    out = geocode_events(_events([{LOCATION: "Aleppo"}]), geocoder=geocode, cache=cache)
    assert out[LATITUDE].isna().all()
    assert len(cache) == 0


def test_answers_found_before_an_error_are_saved(geocoder, tmp_path):
    class BrokenAfterAleppo(CountingGeocoder):
        def geocode(self, query, *, exactly_one=True, timeout=None, country_codes=None):
            if query != "Aleppo":
                raise GeocoderUnavailable("server down")
            return super().geocode(query, country_codes=country_codes)

    path = tmp_path / "cache.json"
    events = _events([{LOCATION: "Aleppo", COUNTRY: "SY"}, {LOCATION: "Mosul", COUNTRY: "IQ"}])
    with pytest.raises(GeocoderUnavailable):
        geocode_events(events, geocoder=BrokenAfterAleppo(geocoder), cache=GeocodeCache(path))
    assert GeocodeCache(path).get("counting", "Aleppo", "SY").geocoder == "gazetteer:170063"


# ---------------------------------------------------------------------------------------
# geocode_events


def _events(rows: list[dict]) -> pd.DataFrame:
    columns = [EVENT_ID, LOCATION, ADMIN1, COUNTRY, LATITUDE, LONGITUDE, GEO_PRECISION]
    columns += [GEOCODER, NOTES]
    frame = pd.DataFrame([{EVENT_ID: f"e{i}"} | row for i, row in enumerate(rows)], columns=columns)
    return frame.astype({LATITUDE: "float64", LONGITUDE: "float64", GEO_PRECISION: "Int64"})


def test_seed_event_is_placed_at_deir_ez_zor(geocoder):
    events = _events([{LOCATION: "Deir ez-Zor", COUNTRY: "Syria", NOTES: "seed"}])
    row = geocode_events(events, geocoder=geocoder).iloc[0]
    assert (row[LATITUDE], row[LONGITUDE]) == (35.33588, 40.14084)
    assert row[GEOCODER] == "gazetteer:170794"
    assert row[MATCHED_NAME] == "Deir ez-Zor"
    assert row[GEO_PRECISION] == 1


def test_geocoding_keeps_every_row_and_column(geocoder):
    events = _events(
        [
            {LOCATION: "Aleppo", COUNTRY: "Syria", NOTES: "a"},
            {LOCATION: "Xqzvbnm", NOTES: "b"},
            {LOCATION: "Kyiv", LATITUDE: 50.0, LONGITUDE: 30.0, NOTES: "c"},
            {NOTES: "d"},
        ]
    )
    events["extra"] = ["w", "x", "y", "z"]
    out = geocode_events(events, geocoder=geocoder)
    assert list(out.columns) == [*events.columns, MATCHED_NAME]
    assert list(out.index) == list(events.index)
    assert list(out[NOTES]) == ["a", "b", "c", "d"]
    assert list(out["extra"]) == ["w", "x", "y", "z"]


def test_input_frame_is_not_changed(geocoder):
    events = _events([{LOCATION: "Aleppo", COUNTRY: "Syria"}])
    before = events.copy()
    geocode_events(events, geocoder=geocoder)
    pd.testing.assert_frame_equal(events, before)


def test_rows_that_already_have_coordinates_are_left_alone(geocoder):
    events = _events(
        [
            {LOCATION: "Aleppo", LATITUDE: 1.5, LONGITUDE: 2.5, GEO_PRECISION: 2},
            {LOCATION: "Aleppo", LATITUDE: 1.5, LONGITUDE: 2.5, GEOCODER: "manual"},
        ]
    )
    out = geocode_events(events, geocoder=geocoder)
    assert list(out[LATITUDE]) == [1.5, 1.5]
    assert list(out[LONGITUDE]) == [2.5, 2.5]
    assert list(out[GEOCODER]) == ["source", "manual"]
    assert (out[MATCHED_NAME] == "").all()
    assert out[GEO_PRECISION].iloc[0] == 2
    assert pd.isna(out[GEO_PRECISION].iloc[1])


def test_unplaceable_rows_keep_empty_coordinates(geocoder):
    events = _events([{LOCATION: "Xqzvbnm"}, {LOCATION: "Xqzvbnm", COUNTRY: "Atlantis"}, {}])
    out = geocode_events(events, geocoder=geocoder)
    assert out[LATITUDE].isna().all()
    assert out[LONGITUDE].isna().all()
    assert (out[GEOCODER] == "").all()
    assert (out[MATCHED_NAME] == "").all()
    assert out[GEO_PRECISION].isna().all()


def test_precision_is_the_larger_of_coded_and_matched(geocoder):
    events = _events(
        [
            {LOCATION: "Aleppo", COUNTRY: "SY", GEO_PRECISION: 2},
            {LOCATION: "Aleppo", COUNTRY: "SY"},
            {LOCATION: "Syria", GEO_PRECISION: 1},
        ]
    )
    out = geocode_events(events, geocoder=geocoder)
    assert list(out[GEO_PRECISION]) == [2, 1, 3]


def test_ambiguous_location_is_placed_in_the_country_of_the_event(geocoder):
    events = _events([{LOCATION: "Tripoli", COUNTRY: "Lebanon"}, {LOCATION: "Tripoli"}])
    out = geocode_events(events, geocoder=geocoder)
    assert list(out[GEOCODER]) == ["gazetteer:266826", "gazetteer:2210247"]


def test_unknown_location_falls_back_to_admin1_at_region_precision(geocoder):
    events = _events([{LOCATION: "Xqzvbnm", ADMIN1: "Idlib", COUNTRY: "Syria"}])
    row = geocode_events(events, geocoder=geocoder).iloc[0]
    # The province's central place: a point inside Idlib governorate, said to be the province.
    assert row[GEOCODER].startswith("gazetteer:SY.")
    assert row[GEO_PRECISION] == 3
    assert km((row[LATITUDE], row[LONGITUDE]), (35.93, 36.63)) < 60


def test_unknown_location_and_admin1_leave_the_event_off_the_map_not_at_the_country_centre(
    geocoder,
):
    events = _events([{LOCATION: "Xqzvbnm", ADMIN1: "Qwrtzp", COUNTRY: "Syrië"}])
    row = geocode_events(events, geocoder=geocoder).iloc[0]
    assert pd.isna(row[LATITUDE])
    assert row[GEOCODER] == ""


def test_rows_without_a_location_are_not_placed(geocoder):
    events = _events([{ADMIN1: "Idlib", COUNTRY: "Syria"}, {COUNTRY: "Syria"}])
    out = geocode_events(events, geocoder=geocoder)
    assert out[LATITUDE].isna().all()
    assert (out[GEOCODER] == "").all()


def test_a_place_outside_the_country_of_the_event_is_not_used(geocoder):
    events = _events([{LOCATION: "Aleppo", COUNTRY: "Lebanon"}])
    row = geocode_events(events, geocoder=geocoder).iloc[0]
    assert pd.isna(row[LATITUDE])


def test_each_distinct_place_is_looked_up_once_per_call(geocoder):
    counting = CountingGeocoder(geocoder)
    rows = [{LOCATION: "Aleppo", COUNTRY: "Syria"}, {LOCATION: "ALEPPO", COUNTRY: "SY"}] * 5
    rows += [{LOCATION: "Aleppo"}, {LOCATION: "Mosul", COUNTRY: "Iraq"}]
    out = geocode_events(_events(rows), geocoder=counting)
    assert out[LATITUDE].notna().all()
    assert counting.queries == [("Aleppo", "SY"), ("Aleppo", None), ("Mosul", "IQ")]


def test_geocode_events_accepts_a_rate_limited_geocoder(geocoder):
    events = _events([{LOCATION: "Gaza", COUNTRY: "Palestine"}])
    out = geocode_events(events, geocoder=RateLimiter(geocoder.geocode, min_delay_seconds=0))
    assert out[GEOCODER].iloc[0] == "gazetteer:281133"


def test_answers_of_other_geocoders_are_described_in_the_same_columns(geocoder, tmp_path):
    events = _events([{LOCATION: "Anywhere", COUNTRY: "Syria"}])
    cache = GeocodeCache(tmp_path / "cache.json")
    nominatim_like = NominatimLikeGeocoder()
    out = geocode_events(events, geocoder=nominatim_like, cache=cache)
    row = out.iloc[0]
    assert (row[LATITUDE], row[LONGITUDE]) == (35.0, 38.0)
    assert row[GEOCODER] == "nominatimlikegeocoder:R1234"
    assert row[MATCHED_NAME] == "Somewhere"
    assert row[GEO_PRECISION] == 1
    assert cache.has("nominatimlikegeocoder", "Anywhere", "SY")


def test_events_without_location_columns_come_back_with_the_geocoding_columns(geocoder):
    events = pd.DataFrame({EVENT_ID: ["a", "b"]})
    out = geocode_events(events, geocoder=geocoder)
    assert list(out.columns) == [
        EVENT_ID,
        LATITUDE,
        LONGITUDE,
        GEO_PRECISION,
        GEOCODER,
        MATCHED_NAME,
    ]
    assert out[LATITUDE].isna().all()


def test_coordinates_written_as_text_count_as_coordinates(geocoder):
    events = pd.DataFrame({LOCATION: ["Aleppo"], LATITUDE: ["36.5"], LONGITUDE: ["37.5"]})
    out = geocode_events(events, geocoder=geocoder)
    assert (out[LATITUDE].iloc[0], out[LONGITUDE].iloc[0]) == (36.5, 37.5)
    assert out[GEOCODER].iloc[0] == "source"


def test_default_geocoder_uses_the_index_in_the_given_cache_directory(gazetteer_dir):
    events = _events([{LOCATION: "Deir ez-Zor", COUNTRY: "Syria"}])
    out = geocode_events(events, cache_dir=gazetteer_dir)
    assert out[GEOCODER].iloc[0] == "gazetteer:170794"
