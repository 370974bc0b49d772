"""The offline base map's index: which countries a view fetches."""

import shapely

from components.map.basemap_build import COUNTRY_TILE_DEGREES, country_keys, squares_touched


def test_a_country_in_far_apart_parts_touches_only_the_squares_of_its_parts() -> None:
    step = COUNTRY_TILE_DEGREES
    # Two islands an ocean apart: the box around both would cover every square between them.
    islands = shapely.MultiPolygon([shapely.box(1, 1, 2, 2), shapely.box(171, 1, 172, 2)])
    assert squares_touched(islands) == ["0_0", f"{171 // step}_0"]


def test_a_country_across_a_square_edge_touches_both_squares() -> None:
    step = COUNTRY_TILE_DEGREES
    assert squares_touched(shapely.box(step - 1, -1, step + 1, 1)) == ["0_-1", "0_0", "1_-1", "1_0"]


def test_a_tiny_country_on_a_grid_line_still_has_its_square() -> None:
    assert squares_touched(shapely.box(0.0, 10.0, 0.001, 10.001))


def test_a_country_without_a_code_of_its_own_is_named_by_its_place_in_the_list() -> None:
    features = [{"properties": {"code": code}} for code in ["SY", "-1", "", "TR", "XX", "XX"]]
    assert country_keys(features) == ["SY", "n1", "n2", "TR", "n4", "n5"]
