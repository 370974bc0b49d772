"""The offline base map: the land's tiles, and which countries a view fetches."""

import json
from pathlib import Path

import pytest
import shapely

from components.map.basemap_build import (
    COUNTRY_TILE_DEGREES,
    LAND_TILE_DEGREES,
    build_land,
    country_keys,
    squares_touched,
)


def test_the_land_is_drawn_as_its_outer_outlines_cut_into_tiles(tmp_path: Path) -> None:
    step = LAND_TILE_DEGREES
    # An island across a tile edge, with a sliver hole, and a two-part country in one tile.
    island = shapely.Polygon(
        [(1, 0.5), (step + 1, 0.5), (step + 1, 1.5), (1, 1.5)],
        [[(1.2, 0.6), (1.3, 0.6), (1.3, 0.7)]],
    )
    parts = shapely.MultiPolygon(
        [shapely.box(-3.5, -3.5, -3.4, -3.4), shapely.box(-3, -3, -2.5, -2.5)]
    )
    land = tmp_path / "land.geo.json"
    land.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
                    for g in (island, parts)
                ],
            }
        )
    )
    files, entries = build_land(land, tmp_path / "out")
    assert entries == {"land": ["-2_-2", "0_0", "1_0"]}
    drawn = {path.stem: json.loads(path.read_text("utf-8")) for path in files}
    for key, tile in drawn.items():
        assert tile["type"] == "FeatureCollection"
        assert {f["properties"]["kind"] for f in tile["features"]} == {"line"}
        column, row = (int(n) for n in key.split("_"))
        lines = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in tile["features"]])
        box = shapely.box(column * step, row * step, (column + 1) * step, (row + 1) * step)
        assert lines.geom_type in {"LineString", "MultiLineString"}
        assert box.buffer(1e-9).contains(lines)
    # The island's outline, split at the tile edge, and nothing of its hole.
    island_drawn = shapely.union_all(
        [
            shapely.geometry.shape(f["geometry"])
            for k in ("0_0", "1_0")
            for f in drawn[k]["features"]
        ]
    )
    assert island_drawn.length == pytest.approx(island.exterior.length)
    assert not island_drawn.intersects(shapely.Point(1.25, 0.6))
    # Both parts of the two-part country, in the one tile they are in.
    assert len(drawn["-2_-2"]["features"]) == 1
    assert shapely.geometry.shape(
        drawn["-2_-2"]["features"][0]["geometry"]
    ).length == pytest.approx(2.4)


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
