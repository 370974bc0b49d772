"""The map's position in a shared link: read what a link carries, write what the map reports."""

from __future__ import annotations

import pytest

from components.map.view_url import MapView, view_from_map, view_from_params


def test_a_view_written_to_a_link_reads_back_the_same() -> None:
    view = MapView(35.33588, 40.14084, 7)
    assert view_from_params(view.as_params()) == view


def test_a_link_without_a_position_asks_for_none() -> None:
    assert view_from_params({"event": "seed-000-2"}) is None


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "91", "lng": "40", "zoom": "7"},
        {"lat": "35", "lng": "-180.5", "zoom": "7"},
        {"lat": "35", "lng": "40", "zoom": "0"},
        {"lat": "35", "lng": "40", "zoom": "40"},
        {"lat": "35", "lng": "40", "zoom": "7.5"},
        {"lat": "nan", "lng": "40", "zoom": "7"},
        {"lat": "35", "lng": "inf", "zoom": "7"},
        {"lat": "<script>", "lng": "40", "zoom": "7"},
        {"lat": "35", "lng": "40"},
    ],
)
def test_an_impossible_position_in_a_link_is_ignored(params: dict[str, str]) -> None:
    assert view_from_params(params) is None


def test_the_view_the_map_reports_after_a_pan() -> None:
    state = {"center": {"lat": 35.2, "lng": 40.1}, "zoom": 8, "last_clicked": None}
    assert view_from_map(state) == MapView(35.2, 40.1, 8)


def test_a_longitude_past_the_antimeridian_is_wrapped_into_the_world() -> None:
    view = view_from_map({"center": {"lat": 10.0, "lng": 190.0}, "zoom": 3})
    assert view is not None and view.lng == pytest.approx(-170.0)


@pytest.mark.parametrize(
    "state", [None, {}, {"zoom": 5}, {"center": {"lat": 1, "lng": 2}}, {"center": "x", "zoom": 3}]
)
def test_a_map_that_reports_no_position_gives_no_view(state) -> None:
    assert view_from_map(state) is None
