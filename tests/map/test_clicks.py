"""Where the map lands after a move (components/map/clicks.py): the box Leaflet shows around a
centre, and views on the grid's edges, so that nearby views ask the same questions."""

from __future__ import annotations

import pytest

from components.map.bounds import Bounds, mercator_x, mercator_y
from components.map.clicks import on_grid, view_box
from components.map.settings import CELL_PIXELS


def test_the_box_around_a_centre_is_the_maps_size_in_pixels_at_that_zoom():
    box = view_box((48.5, 37.8), 9, (700, 560))

    scale = 256 * 2.0**9
    assert (mercator_x(box.east) - mercator_x(box.west)) * scale == pytest.approx(700)
    assert (mercator_y(box.south) - mercator_y(box.north)) * scale == pytest.approx(560)
    # The centre is the middle on the map (Web Mercator), not in degrees of latitude.
    middle = (mercator_y(box.south) + mercator_y(box.north)) / 2
    assert middle == pytest.approx(mercator_y(48.5))
    assert box.center[1] == pytest.approx(37.8)


@pytest.mark.parametrize("zoom", [2, 7, 15])
def test_a_view_on_the_grid_holds_the_view_and_lies_on_cell_edges(zoom):
    view = Bounds(31.4, 34.3, 31.6, 34.6) if zoom > 2 else Bounds(-60.0, -150.0, 70.0, 160.0)

    grid = on_grid(view, zoom)

    assert grid.south <= view.south and grid.west <= view.west
    assert grid.north >= view.north and grid.east >= view.east
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    for x in (mercator_x(grid.west), mercator_x(grid.east)):
        assert x / cell == pytest.approx(round(x / cell))
    for y in (mercator_y(grid.south), mercator_y(grid.north)):
        assert y / cell == pytest.approx(round(y / cell))
    assert on_grid(grid, zoom) == grid


def test_views_a_few_pixels_apart_are_one_view_on_the_grid():
    pixel = 1 / (256 * 2.0**10) * 360  # degrees of longitude per pixel at zoom 10
    view = view_box((35.2, 38.6), 10, (700, 560))
    # Centred a cell's width away from a grid edge, so that a pixel either way stays inside.
    cell_degrees = CELL_PIXELS * pixel
    west_in_cell = ((view.west + 180) % cell_degrees) / cell_degrees
    shift = (0.5 - west_in_cell) * cell_degrees
    view = view_box((35.2, 38.6 + shift), 10, (700, 560))

    nudged = view_box((35.2, 38.6 + shift + pixel / 3), 10, (700, 560))

    assert on_grid(nudged, 10).west == on_grid(view, 10).west
    assert on_grid(nudged, 10).east == on_grid(view, 10).east


def test_the_grid_never_narrows_a_view_past_the_mercator_edge():
    view = Bounds(-89.0, -180.0, 89.0, 180.0)

    assert on_grid(view, 1) == Bounds(-89.0, -180.0, 89.0, 180.0)
