"""The dashboard's declared state (components/ui/state.py): URL parameters are a contract."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from components import PROJECT_ROOT
from components.ui import state

README = PROJECT_ROOT / "README.md"


def readme_link_params() -> set[str]:
    """Parameter names README's links use: `?name=` in addresses and `name=value` examples."""
    text = README.read_text(encoding="utf-8")
    names = set(re.findall(r"[?&]([a-z_]+)=", text))
    table = text.split("### A link is a citation", 1)[1].split("\n### ", 1)[0]
    names |= set(re.findall(r"`([a-z_]+)=[^`]*`", table))
    return names


def test_readme_documents_link_parameters():
    assert {"dates", "event", "lat", "lng", "zoom"} <= readme_link_params()


def test_every_parameter_readme_links_use_is_declared():
    missing = readme_link_params() - set(state.URL_PARAMS)
    assert not missing, f"README's links use parameters the page no longer reads: {missing}"


def test_parameters_are_declared_once():
    assert len(state.URL_PARAMS) == len(set(state.URL_PARAMS))


def test_dates_are_written_as_iso_days():
    window = (dt.date(2018, 2, 8), dt.date(2018, 2, 28))
    assert state.dates_param(window) == ["2018-02-08", "2018-02-28"]
    assert state.dates_from_param(state.dates_param(window)) == window


def test_old_links_in_epoch_microseconds_still_open():
    # 2024-02-29 and 2024-03-31 at midnight UTC, as Streamlit wrote a bound date slider.
    old = ["1709164800000000", "1711843200000000"]
    assert state.dates_from_param(old) == (dt.date(2024, 2, 29), dt.date(2024, 3, 31))


@pytest.mark.parametrize(
    "values",
    [None, "2018-02-08", ["2018-02-08"], ["soon", "later"], ["2018-02-08", "x"], ["1e300", "2"]],
)
def test_a_window_that_makes_no_sense_is_ignored(values):
    assert state.dates_from_param(values) is None


def test_a_reversed_window_is_put_in_order():
    asked = state.dates_from_param(["2018-03-01", "2018-02-01"])
    assert asked == (dt.date(2018, 2, 1), dt.date(2018, 3, 1))
