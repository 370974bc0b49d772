"""geocode-check: a file with names and true coordinates scored without looking at them."""

from __future__ import annotations

import pytest

from components.cli.main import main
from components.geo.check import check_files, read_truth, split_of, summarise
from components.table.errors import GeocodeInputError

# Synthetic exports in ACLED's and UCDP's column names; true points of real towns, one
# "near" row (precision 2, not scored) and one invented village.
ACLED_LIKE = (
    "event_id_cnty,country,admin1,admin2,location,latitude,longitude,geo_precision\n"
    "S1,Syria,Idlib,Idlib,Idlib,35.9306,36.6339,1\n"
    "S2,Syria,Aleppo,Jebel Saman,Aleppo,36.2021,37.1343,1\n"
    "S3,Syria,Aleppo,Jebel Saman,Aleppo,36.2021,37.1343,1\n"
    "S4,Syria,Aleppo,Jebel Saman,Aleppo,36.5,37.5,2\n"
    "S5,Syria,Idlib,Ariha,Kafr Tajriba,35.81,36.61,1\n"
)
UCDP_LIKE = (
    "id,country,adm_1,adm_2,where_coordinates,latitude,longitude,where_prec\n"
    "9001,Ukraine,Donetsk oblast,Mariupol City municipality,Mariupol town,47.0958,37.5494,1\n"
    "9002,Ukraine,Donetsk oblast,Novoazovsk raion,Kafr Tajriba village,47.1,37.8,1\n"
)


@pytest.fixture
def files(tmp_path):
    acled, ucdp = tmp_path / "acled_syn.csv", tmp_path / "ucdp_syn.csv"
    acled.write_text(ACLED_LIKE, encoding="utf-8")
    ucdp.write_text(UCDP_LIKE, encoding="utf-8")
    return acled, ucdp


def test_truth_is_read_under_acled_and_ucdp_column_names(files):
    acled, ucdp = files
    assert len(read_truth(acled)) == 4
    truth = read_truth(ucdp)
    assert list(truth["location"]) == ["Mariupol town", "Kafr Tajriba village"]
    assert list(truth["admin2"]) == ["Mariupol City municipality", "Novoazovsk raion"]


def test_a_file_without_coordinates_or_precision_is_refused(tmp_path):
    path = tmp_path / "no_truth.csv"
    path.write_text("location,country\nAleppo,Syria\n", encoding="utf-8")
    with pytest.raises(GeocodeInputError, match="latitude"):
        read_truth(path)
    path.write_text("location,latitude,longitude\nAleppo,36.2,37.1\n", encoding="utf-8")
    with pytest.raises(GeocodeInputError, match="precision"):
        read_truth(path)


def test_each_distinct_place_is_one_case_and_towns_land_on_their_point(files, gazetteer_dir):
    result = check_files(files, cache_dir=gazetteer_dir)
    cases = result.cases.set_index("location")
    assert len(cases) == 5
    for town in ("Idlib", "Aleppo", "Mariupol town"):
        assert cases.loc[town, "km"] < 10, town
    # An invented village falls back to its district or province, and says so.
    assert cases.loc["Kafr Tajriba", "answer_precision"] >= 2
    assert cases.loc["Kafr Tajriba village", "answer_precision"] >= 2


def test_the_split_follows_the_place_and_never_changes():
    assert split_of("Aleppo", "Aleppo", "Syria") == split_of(" ALEPPO", "aleppo", "syria")
    splits = {split_of(f"Village {i}", "", "Syria") for i in range(40)}
    assert splits == {"dev", "test"}


def test_learned_places_never_come_from_the_measured_file(files, gazetteer_dir, tmp_path):
    acled, _ = files
    other = tmp_path / "acled_other.csv"
    # Another export: the village again (a new event), and one event both files hold.
    other.write_text(
        ACLED_LIKE.splitlines()[0] + "\n"
        "T1,Syria,Idlib,Ariha,Kafr Tajriba,35.811,36.611,1\n"
        "S1,Syria,Idlib,Idlib,Idlib,35.9306,36.6339,1\n",
        encoding="utf-8",
    )
    result = check_files([acled], cache_dir=gazetteer_dir, learn_from=[acled, other])
    answers = result.cases.set_index("location")["answer_by"]
    assert answers["Kafr Tajriba"] == "learned:acled_other.csv:T1"
    assert not answers["Idlib"].startswith("learned:")


def test_the_table_lists_files_countries_and_precisions(files, gazetteer_dir):
    text = summarise(check_files(files, cache_dir=gazetteer_dir))
    for part in ("≤10 km", ">50 km", "not found", "acled_syn", "Syria", "Ukraine", "precision"):
        assert part in text


def test_geocode_check_on_the_command_line(files, gazetteer_dir, capsys):
    acled, ucdp = files
    code = main(["geocode-check", str(acled), str(ucdp), "--cache-dir", str(gazetteer_dir),
                 "--far-from-gazetteer"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "geocode-check: 2 files" in out
    assert "have no gazetteer place within 10 km" in out
