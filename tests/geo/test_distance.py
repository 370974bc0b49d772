"""The project's one great-circle distance and one spherical mean."""

from __future__ import annotations

import math

import numpy as np
from geopy.distance import EARTH_RADIUS, great_circle

from components.geo.distance import EARTH_RADIUS_KM, km, km_arrays, spherical_mean


def test_the_radius_is_geopys():
    assert EARTH_RADIUS_KM == EARTH_RADIUS


def test_the_array_distance_agrees_with_geopy():
    points = [
        ((36.2, 37.16), (35.33, 40.14)),
        ((50.45, 30.52), (47.1, 37.55)),
        ((0, 179), (0, -179)),
    ]
    lat1, lon1, lat2, lon2 = (np.array(v) for v in zip(*[(*a, *b) for a, b in points], strict=True))
    expected = [great_circle(a, b).km for a, b in points]
    assert np.allclose(km_arrays(lat1, lon1, lat2, lon2), expected)
    assert [round(km(a, b), 6) for a, b in points] == [round(e, 6) for e in expected]


def test_the_spherical_mean_is_right_across_the_antimeridian():
    lat, lon = spherical_mean([(10, 179), (10, -179)])
    assert math.isclose(abs(lon), 180)
    assert 10 <= lat < 10.01
