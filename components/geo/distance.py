"""Distances on the globe and the centre of a set of points: the project's one copy of each.

:func:`km` is geopy's great-circle distance; :func:`km_arrays` is the same formula over NumPy
arrays (the element-wise loop geopy would need is a thousand times slower on large tables);
:func:`spherical_mean` is the centre of points on the sphere (not the mean of their degrees,
which is wrong across the antimeridian).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "km", "km_arrays", "spherical_mean"]

# geopy.distance.EARTH_RADIUS, the mean radius (IUGG); written out because importing geopy
# imports its HTTP stack, which would double the gazetteer's time to be ready.
EARTH_RADIUS_KM = 6371.009

LatLon = tuple[float, float]


def km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in km between two (latitude, longitude) points (geopy's)."""
    from geopy.distance import great_circle

    return great_circle(a, b).km


def km_arrays(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distances in km, element-wise over arrays of degrees (haversine)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype="float64")) for v in (lat1, lon1, lat2, lon2)
    )
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def spherical_mean(points: Iterable[LatLon], *, digits: int | None = 5) -> LatLon:
    """Centre of (latitude, longitude) points on the sphere, rounded to ``digits`` places."""
    array = np.asarray(list(points), dtype="float64").reshape(-1, 2)
    if not len(array):
        raise ValueError("the spherical mean of no points is undefined")
    (lat,), (lon,) = spherical_means(array[:, 0], array[:, 1], np.zeros(len(array), "int64"))
    if digits is None:
        return float(lat), float(lon)
    return round(float(lat), digits), round(float(lon), digits)


def spherical_means(latitudes, longitudes, groups) -> tuple[np.ndarray, np.ndarray]:
    """Spherical mean of each group of points (``groups`` holds 0..n-1 per point)."""
    lat = np.radians(np.asarray(latitudes, dtype="float64"))
    lon = np.radians(np.asarray(longitudes, dtype="float64"))
    x = np.bincount(groups, np.cos(lat) * np.cos(lon))
    y = np.bincount(groups, np.cos(lat) * np.sin(lon))
    z = np.bincount(groups, np.sin(lat))
    return np.degrees(np.arctan2(z, np.hypot(x, y))), np.degrees(np.arctan2(y, x))
