"""gazetteer add: a GeoNames country dump (XX.zip / XX.txt) joins the index with its admin
codes. The fixture is a synthetic dump in GeoNames' exact column format (invented places)."""

from __future__ import annotations

import zipfile

import pytest

from components import PROJECT_ROOT
from components.cli.main import main
from components.geo import index_build
from components.geo.gazetteer import Gazetteer
from components.geo.geonames_dump import read_dump
from components.geo.resolve import PlaceResolver
from components.table.errors import GazetteerError

DUMP = PROJECT_ROOT / "tests" / "fixtures" / "geonames" / "SY.txt"

# Two real towns stand for cities500, so that a test index builds in seconds.
SMALL_CITIES500 = {
    "169389": {"geonameid": 169389, "name": "Idlib", "latitude": 35.93062,
               "longitude": 36.63393, "countrycode": "SY", "population": 128840,
               "admin1code": "12", "alternatenames": ["Idleb"]},
    "170063": {"geonameid": 170063, "name": "Aleppo", "latitude": 36.20124,
               "longitude": 37.16117, "countrycode": "SY", "population": 1602264,
               "admin1code": "09", "alternatenames": ["Halab"]},
}  # fmt: skip


def test_a_dump_gives_its_populated_places_and_province_names():
    dump = read_dump(DUMP)
    assert dump.country == "SY"
    assert [p["geonameid"] for p in dump.places] == [90000001, 90000002, 90000003, 90000004]
    assert dump.places[0]["admin1code"] == "12"
    assert dump.places[0]["admin2code"] == "SY1201"
    assert "Tajriba" in dump.places[0]["alternatenames"]
    assert dump.region_names == {("SY", "12"): "Muhafazat Tajriba Test"}


def test_a_zipped_dump_reads_the_same(tmp_path):
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(DUMP, "SY.txt")
        handle.writestr("readme.txt", "GeoNames readme")
    assert read_dump(archive).places == read_dump(DUMP).places


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1\tonly\tthree\n", "3 tab-separated columns, not 19"),
        ("x" + "\t" * 18 + "\n", "must be numbers"),
    ],
)
def test_a_file_not_in_the_dump_format_is_refused_naming_the_line(tmp_path, content, message):
    path = tmp_path / "XX.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message) as error:
        read_dump(path)
    assert "line 1" in str(error.value)


def test_gazetteer_add_puts_the_dump_in_the_index(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(index_build, "_cities500", lambda: SMALL_CITIES500)
    monkeypatch.setattr(index_build.admin_names, "admin1_names", lambda cities: {})
    cache = tmp_path / "cache"
    assert main(["gazetteer", "add", str(DUMP), "--cache-dir", str(cache)]) == 0
    assert "4 places and 1 region names of SY added" in capsys.readouterr().out
    gazetteer = Gazetteer.load(cache)
    village = gazetteer.exact_places("Qaryet et Tajribe", "SY")[0]
    assert (village.geonameid, village.admin1) == (90000001, "12")
    resolver = PlaceResolver(gazetteer)
    # Two villages share a name: the province (by its name in the dump) chooses.
    found = resolver.resolve("Tall Ikhtibar", "Tajriba Test Governorate", "", "Syria")
    assert found.place.geonameid == 90000002
    # The index notices a changed dump and rebuilds with it.
    manifest = (cache / "gazetteer-manifest.json").read_text(encoding="utf-8")
    assert '"added:SY"' in manifest
