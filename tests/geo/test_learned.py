"""Places learned from the user's own datasets, consulted below data/places.csv and above the
gazetteer, with their evidence named."""

from __future__ import annotations

import pandas as pd
import pytest

from components import PROJECT_ROOT
from components.cli.main import main
from components.geo.events import geocode_events
from components.geo.gazetteer import Gazetteer
from components.geo.learned import LearnedPlaces, learned_places, learned_summary
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    EVENT_ID,
    GEO_PRECISION,
    GEOCODER,
    LATITUDE,
    LOCATION,
    LONGITUDE,
)

# A synthetic ACLED-like export: two exact events at an invented village, one "near" event.
ACLED_LIKE = (
    "event_id_cnty,event_date,country,admin1,admin2,location,latitude,longitude,geo_precision\n"
    "SYN1,2024-01-01,Syria,Idlib,Ariha,Kafr Tajriba,35.81,36.61,1\n"
    "SYN2,2024-01-02,Syria,Idlib,Ariha,Kafr Tajriba,35.81,36.61,1\n"
    "SYN3,2024-01-03,Syria,Idlib,Ariha,Kafr Tajriba,35.90,36.90,2\n"
    "SYN4,2024-01-04,Syria,Aleppo,Afrin,Tall Namudhaj,36.50,36.85,1\n"
)


@pytest.fixture
def store(gazetteer_dir) -> LearnedPlaces:
    places = LearnedPlaces(":memory:", Gazetteer.load(gazetteer_dir))
    yield places
    places.close()


def _events(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in (LATITUDE, LONGITUDE):
        frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    return frame


def test_exact_events_teach_a_place_with_their_evidence(store):
    events = _events(
        [
            {EVENT_ID: "a1", LOCATION: "Kafr Tajriba", ADMIN1: "Idlib", COUNTRY: "Syria",
             LATITUDE: 35.81, LONGITUDE: 36.61, GEO_PRECISION: 1},
            {EVENT_ID: "a2", LOCATION: "Kafr Tajriba village", ADMIN1: "Idlib governorate",
             COUNTRY: "SY", LATITUDE: 35.81, LONGITUDE: 36.61, GEO_PRECISION: 1},
            {EVENT_ID: "a3", LOCATION: "Kafr Tajriba", ADMIN1: "Idlib", COUNTRY: "Syria",
             LATITUDE: 35.0, LONGITUDE: 36.0, GEO_PRECISION: 2},
        ]
    )  # fmt: skip
    assert store.learn(events, "mine.csv") == 2
    answer = store.find("Kafr Tajriba", "SY", "Idlib")
    assert (answer.latitude, answer.longitude) == (35.81, 36.61)
    assert answer.geocoder == "learned:mine.csv:a1"
    assert answer.geo_precision == 1
    assert store.counts() == {"mine.csv": 2}


def test_a_namesake_in_another_province_or_country_is_not_the_learned_place(store):
    events = _events(
        [{EVENT_ID: "a1", LOCATION: "Kafr Tajriba", ADMIN1: "Idlib", COUNTRY: "Syria",
          LATITUDE: 35.81, LONGITUDE: 36.61, GEO_PRECISION: 1}]
    )  # fmt: skip
    store.learn(events, "mine.csv")
    assert store.find("Kafr Tajriba", "SY", "Hama") is None
    assert store.find("Kafr Tajriba", "IQ") is None
    assert store.find("Kafr Tajriba", "SY") is not None


def test_learning_a_file_again_replaces_what_it_taught_and_forget_removes_it(store):
    first = _events(
        [{EVENT_ID: "a1", LOCATION: "Kafr Tajriba", COUNTRY: "Syria", LATITUDE: 35.81,
          LONGITUDE: 36.61, GEO_PRECISION: 1}]
    )  # fmt: skip
    store.learn(first, "mine.csv")
    store.learn(first.assign(**{LOCATION: "Tall Namudhaj"}), "mine.csv")
    assert store.find("Kafr Tajriba", "SY") is None
    assert store.find("Tall Namudhaj", "SY") is not None
    assert store.forget("mine.csv") == 1
    assert store.counts() == {}


def test_geocoding_consults_learned_places_before_the_gazetteer(store, gazetteer_dir):
    events = _events(
        [{EVENT_ID: "a1", LOCATION: "Aleppo", COUNTRY: "Syria", LATITUDE: 36.0,
          LONGITUDE: 37.0, GEO_PRECISION: 1}]
    )  # fmt: skip
    store.learn(events, "mine.csv")
    rows = _events([{EVENT_ID: "x", LOCATION: "Aleppo", COUNTRY: "Syria"}])
    placed = geocode_events(rows, cache_dir=gazetteer_dir, places_file=None, learned=store)
    assert placed[GEOCODER].iloc[0] == "learned:mine.csv:a1"
    unlearned = geocode_events(rows, cache_dir=gazetteer_dir, places_file=None, learned=None)
    assert unlearned[GEOCODER].iloc[0].startswith("gazetteer:")


def test_the_manual_places_file_wins_over_learned_places(store, gazetteer_dir, tmp_path):
    events = _events(
        [{EVENT_ID: "a1", LOCATION: "Aleppo", COUNTRY: "Syria", LATITUDE: 36.0,
          LONGITUDE: 37.0, GEO_PRECISION: 1}]
    )  # fmt: skip
    store.learn(events, "mine.csv")
    places = tmp_path / "places.csv"
    places.write_text(
        "name,country,latitude,longitude,geo_precision,note\nAleppo,SY,36.3,37.3,1,by hand\n",
        encoding="utf-8",
    )
    rows = _events([{EVENT_ID: "x", LOCATION: "Aleppo", COUNTRY: "Syria"}])
    placed = geocode_events(rows, cache_dir=gazetteer_dir, places_file=places, learned=store)
    assert placed[GEOCODER].iloc[0] == "manual"


def test_gazetteer_learn_and_learned_on_the_command_line(tmp_path, gazetteer_dir, capsys):
    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    export = tmp_path / "acled_syn.csv"
    export.write_text(ACLED_LIKE, encoding="utf-8")
    assert main(["gazetteer", "learn", str(export), "--cache-dir", str(cache)]) == 0
    assert "3 places learned from acled_syn.csv" in capsys.readouterr().out
    assert main(["gazetteer", "learned", "--cache-dir", str(cache)]) == 0
    assert "acled_syn.csv" in capsys.readouterr().out
    store = learned_places(cache)
    try:
        assert store.find("Tall Namudhaj", "SY", "Aleppo").geocoder == "learned:acled_syn.csv:SYN4"
    finally:
        store.close()
    assert main(["gazetteer", "forget", str(export), "--cache-dir", str(cache)]) == 0
    assert "3 learned places" in capsys.readouterr().out


def test_the_app_line_says_how_many_places_came_from_which_files(tmp_path, gazetteer_dir):
    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    assert learned_summary(cache) == ""
    store = learned_places(cache, create=True)
    try:
        for number, source in enumerate(["a.csv", "b.csv", "c.csv", "d.csv", "e.csv"], 1):
            rows = [
                {EVENT_ID: f"{source}{i}", LOCATION: f"Tall Ikhtibar {i}", COUNTRY: "Syria",
                 LATITUDE: 36.0, LONGITUDE: 37.0, GEO_PRECISION: 1}
                for i in range(number)
            ]  # fmt: skip
            store.learn(_events(rows), source)
    finally:
        store.close()
    line = learned_summary(cache)
    assert line.startswith("Places learned from your files: 15 (5 from e.csv, 4 from d.csv,")
    assert "3 from c.csv and 2 more files)" in line


def test_import_learns_its_exact_places_only_when_asked(tmp_path, gazetteer_dir, capsys):
    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    fixture = PROJECT_ROOT / "tests" / "fixtures" / "acled_syria_2018.csv"
    out = tmp_path / "events.csv"
    assert main(["import", str(fixture), "--out", str(out), "--cache-dir", str(cache)]) == 0
    assert "learned" not in capsys.readouterr().out
    assert learned_places(cache) is None
    argv = ["import", str(fixture), "--out", str(out), "--learn", "--cache-dir", str(cache)]
    assert main(argv) == 0
    imported = pd.read_csv(out)
    exact = int((imported[GEO_PRECISION] == 1).sum())
    assert exact > 0
    line = f"import: {exact:,} places learned from acled_syria_2018.csv"
    assert line in capsys.readouterr().out
    assert learned_summary(cache).startswith(f"Places learned from your files: {exact:,} ")
