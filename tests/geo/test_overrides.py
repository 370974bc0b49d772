"""The manual places file: read, add by hand, and always winning over the gazetteer."""

from __future__ import annotations

import csv
import threading

import pandas as pd
import pytest

from components.geo.geocoder import GazetteerGeocoder, geocode_events
from components.geo.overrides import (
    DEFAULT_PLACES_FILE,
    PLACES_COLUMNS,
    add_override,
    find_override,
    read_overrides,
    read_places,
    suggestions,
)
from components.table.errors import PlacesFileError


def write_places(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PLACES_COLUMNS)
        writer.writerows(rows)
    return path


def test_shipped_places_file_reads_and_holds_a_place_the_gazetteer_lacks(gazetteer):
    overrides = read_overrides(DEFAULT_PLACES_FILE, gazetteer=gazetteer)
    maungdaw = find_override(overrides, "Maungdaw", "MM")
    assert maungdaw is not None
    assert abs(maungdaw.latitude - 20.82) < 0.1 and abs(maungdaw.longitude - 92.37) < 0.1
    assert gazetteer.lookup("Maungdaw", "MM") == []


def test_a_missing_places_file_means_no_overrides(tmp_path):
    assert read_overrides(tmp_path / "places.csv") == {}


def test_country_may_be_a_name_in_any_language_or_empty(tmp_path, gazetteer):
    path = write_places(
        tmp_path / "places.csv",
        [["Khasham", "Syrië", "35.39", "40.27", "1", ""], ["Nowhere Hill", "", "1", "2", "2", ""]],
    )
    overrides = read_overrides(path, gazetteer=gazetteer)
    assert find_override(overrides, "KHASHAM", "SY").latitude == 35.39
    assert find_override(overrides, "Khasham", "IQ") is None
    assert find_override(overrides, "nowhere hill", "UA").geo_precision == 2


BAD_ROWS = [
    (["", "SY", "35", "40", "1", ""], "column name"),
    (["Khasham", "SY", "north", "40", "1", ""], "column latitude"),
    (["Khasham", "SY", "35", "190", "1", ""], "column longitude"),
    (["Khasham", "SY", "35", "40", "4", ""], "column geo_precision"),
]


@pytest.mark.parametrize(("row", "named"), BAD_ROWS)
def test_a_bad_row_is_reported_with_its_row_and_column_and_skipped(tmp_path, gazetteer, row, named):
    path = write_places(tmp_path / "places.csv", [row, ["Khasham", "SY", "35", "40", "1", ""]])
    loaded = read_places(path, gazetteer=gazetteer)
    assert f"row 2, {named}" in str(loaded.problems[0])
    assert loaded.rejected_rows == [2]
    assert find_override(loaded.overrides, "Khasham", "SY") is not None


def test_adding_a_place_keeps_the_other_rows_and_replaces_the_same_place(tmp_path, gazetteer):
    path = write_places(tmp_path / "places.csv", [["Khasham", "SY", "35", "40", "1", "old"]])
    add_override(path, "Maungdaw", "Myanmar", 20.82, 92.37, 1, "by hand")
    add_override(path, "Khasham", "Syria", 35.39, 40.27, 1, "corrected")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["name"], r["note"]) for r in rows] == [
        ("Maungdaw", "by hand"),
        ("Khasham", "corrected"),
    ]


def test_adding_a_bad_place_changes_nothing(tmp_path):
    path = write_places(tmp_path / "places.csv", [["Khasham", "SY", "35", "40", "1", ""]])
    before = path.read_text()
    with pytest.raises(PlacesFileError):
        add_override(path, "Khasham", "SY", 95.0, 40.0)
    assert path.read_text() == before


def test_concurrent_additions_all_land(tmp_path):
    path = tmp_path / "places.csv"
    threads = [
        threading.Thread(target=add_override, args=(path, f"Village {i}", "SY", 35, 40))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    names = {row["name"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert names == {f"Village {i}" for i in range(8)}


def test_a_manual_place_wins_over_the_gazetteer_in_events(tmp_path, gazetteer):
    path = write_places(tmp_path / "places.csv", [["Aleppo", "Syria", "36.0", "37.0", "2", ""]])
    events = pd.DataFrame({"location": ["Aleppo", "Aleppo"], "country": ["Syria", "Iraq"]})
    placed = geocode_events(events, geocoder=GazetteerGeocoder(gazetteer), places_file=path)
    assert placed.loc[0, ["latitude", "longitude"]].tolist() == [36.0, 37.0]
    assert placed.loc[0, "geocoder"] == "manual"
    assert placed.loc[0, "geo_precision"] == 2
    assert placed.loc[1, "geocoder"] != "manual"


def test_a_manual_place_wins_in_the_geopy_geocoder(tmp_path, gazetteer):
    path = write_places(tmp_path / "places.csv", [["Aleppo", "SY", "36.0", "37.0", "1", ""]])
    geocoder = GazetteerGeocoder(gazetteer, places_file=path)
    location = geocoder.geocode("Aleppo", country_codes="SY")
    assert (location.latitude, location.longitude) == (36.0, 37.0)
    assert location.raw["geocoder"] == "manual"
    assert geocoder.geocode("Aleppo, Syria").raw["geocoder"] == "manual"


def test_a_place_added_while_running_is_used_at_once(tmp_path, gazetteer):
    path = tmp_path / "places.csv"
    geocoder = GazetteerGeocoder(gazetteer, places_file=path)
    assert geocoder.geocode("Maungdaw", country_codes="MM") is None
    add_override(path, "Maungdaw", "MM", 20.82, 92.37)
    assert geocoder.geocode("Maungdaw", country_codes="MM").raw["geocoder"] == "manual"


def test_suggestions_list_gazetteer_candidates_best_first(gazetteer):
    found = suggestions("Tripoli", limit=3, gazetteer=gazetteer)
    assert len(found) == 3
    assert found[0].population >= found[1].population
    assert suggestions("Tripoli", "Lebanon", gazetteer=gazetteer)[0].country_code == "LB"
