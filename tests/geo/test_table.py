"""The geocode command's function: any CSV in, the same CSV with coordinates out."""

from __future__ import annotations

import pandas as pd
import pytest

from components.geo.table import ADDED_COLUMNS, geocode_file
from components.table.errors import GeocodeInputError


@pytest.fixture
def cache_dir(tmp_path, gazetteer_dir):
    """A cache directory of its own (empty geocode cache) sharing the session's index."""
    directory = tmp_path / "cache"
    directory.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (directory / index_file.name).symlink_to(index_file)
    return directory


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id,place,land,note\n"
        "1,Halep,Syrië,0012\n"
        "2,Charkow,,kept as written\n"
        "3,Xqzvbnm,,\n"
        "4,Donetsk Oblast,Ukraine,\n",
        encoding="utf-8",
    )
    return path


def run(table, tmp_path, cache_dir):
    out = tmp_path / "out.csv"
    summary = geocode_file(table, out, column="place", country_column="land", cache_dir=cache_dir)
    return summary, pd.read_csv(out, dtype=str, keep_default_na=False)


def test_every_row_and_column_is_kept_and_the_place_columns_added(table, tmp_path, cache_dir):
    _, out = run(table, tmp_path, cache_dir)
    assert list(out.columns) == ["id", "place", "land", "note", *ADDED_COLUMNS]
    assert out["id"].tolist() == ["1", "2", "3", "4"]
    assert out.loc[0, "note"] == "0012"


def test_places_are_found_in_any_spelling_and_nonsense_is_left_empty(table, tmp_path, cache_dir):
    _, out = run(table, tmp_path, cache_dir)
    assert out.loc[0, "matched_name"] == "Aleppo"
    assert out.loc[1, "geocoder"] == "gazetteer:706483"
    assert out.loc[2, ["latitude", "longitude", "geocoder", "matched_name"]].tolist() == [""] * 4
    assert out.loc[3, "geo_precision"] == "3"
    assert out.loc[0, "geo_precision"] == "1"


def test_summary_line_counts_found_not_found_and_cached(table, tmp_path, cache_dir):
    first, _ = run(table, tmp_path, cache_dir)
    assert str(first) == "4 rows: 3 found, 1 not found, 0 from cache"
    second, _ = run(table, tmp_path, cache_dir)
    assert str(second) == "4 rows: 3 found, 1 not found, 4 from cache"


def test_progress_bar_is_drawn_on_stderr_for_long_runs(tmp_path, cache_dir, capsys):
    path = tmp_path / "long.csv"
    path.write_text("location\n" + "Aleppo\n" * 250, encoding="utf-8")
    geocode_file(path, tmp_path / "out.csv", cache_dir=cache_dir, progress=True)
    err = capsys.readouterr().err
    assert "geocoding" in err
    assert "250/250" in err


UNUSABLE = [
    ("missing.csv", None, "no such file"),
    ("empty.csv", "", "is empty"),
    ("binary.csv", "\x00\x01\x02", "not a text"),
    ("other.csv", "id,town\n1,Aleppo\n", "no column 'location'"),
]


@pytest.mark.parametrize(("name", "content", "reason"), UNUSABLE)
def test_unusable_input_raises_a_one_line_reason(tmp_path, cache_dir, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GeocodeInputError, match=reason) as raised:
        geocode_file(path, tmp_path / "out.csv", cache_dir=cache_dir)
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "out.csv").exists()


def test_unknown_provider_lists_the_valid_ones(table, tmp_path, cache_dir):
    with pytest.raises(GeocodeInputError, match="valid options are offline, nominatim"):
        geocode_file(table, tmp_path / "out.csv", column="place", provider="google")
