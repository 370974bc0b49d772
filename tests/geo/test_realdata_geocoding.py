"""Properties of the geocoder on real ACLED and UCDP exports (../shared/realdata; skipped when
absent): their precision-1 places, geocoded by name only, are never far off."""

from __future__ import annotations

import pytest

from components import PROJECT_ROOT
from components.geo.check import check_files, read_truth
from components.table.errors import GeocodeInputError

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
NO_ANSWER_BEYOND_KM = 500
MOST_PLACED_FAR = 0.01  # share of places answered at precision 1 more than 50 km away


def _files_with_truth() -> list:
    files = sorted(REALDATA.glob("acled/*.csv")) + sorted(REALDATA.glob("ucdp/*.csv"))
    usable = []
    for path in files:
        try:
            read_truth(path)
        except GeocodeInputError:
            continue
        usable.append(path)
    return usable


@pytest.fixture(scope="module")
def cases(gazetteer_dir):
    files = _files_with_truth() if REALDATA.is_dir() else []
    if not files:
        pytest.skip(f"no real ACLED/UCDP files with coordinates in {REALDATA}")
    return check_files(files, cache_dir=gazetteer_dir).cases


def test_no_answer_lies_more_than_500_km_from_the_true_point(cases):
    far = cases[cases["km"] > NO_ANSWER_BEYOND_KM]
    assert far.empty, far[["location", "admin1", "country", "matched", "km"]].to_string()


def test_at_most_1_percent_of_places_are_answered_as_the_place_more_than_50_km_off(cases):
    as_place = cases["answer_precision"].fillna(0) <= 1
    far = cases[as_place & (cases["km"] > 50)]
    assert len(far) <= MOST_PLACED_FAR * len(cases), far[["location", "matched", "km"]]


def test_fallbacks_say_they_are_a_district_or_province(cases):
    answered = cases[cases["km"].notna()]
    assert set(answered["answer_precision"].astype(int)) <= {1, 2, 3}
    # A fallback is never given as the place itself: learned or matched names only are 1.
    region = answered[answered["answer_by"].str.contains(r"^gazetteer:[A-Z]{2}\.", regex=True)]
    assert (region["answer_precision"] == 3).all()
