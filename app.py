"""Strikemap: reported strikes on a map. ``streamlit run app.py -- --events FILE``.

Two pages: the dashboard (the default, at "/") and "Add report", where a news report is
coded into draft events and saved into the events file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import streamlit as st

from components.ui import dashboard as ui
from components.ui import report as ui_report

DEFAULT_EVENTS = Path(__file__).parent / "data" / "events.csv"
DEFAULT_PLACES = Path(__file__).parent / "data" / "places.csv"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="streamlit run app.py --")
    default = Path(os.environ.get("STRIKEMAP_EVENTS", DEFAULT_EVENTS))
    parser.add_argument("--events", type=Path, default=default, help="canonical events CSV")
    places = Path(os.environ.get("STRIKEMAP_PLACES", DEFAULT_PLACES))
    parser.add_argument("--places", type=Path, default=places, help="places placed by hand")
    return parser.parse_known_args(argv)[0]


st.set_page_config(page_title="Strikemap", page_icon="🗺️", layout="wide")
arguments = parse_args(sys.argv[1:])


def dashboard_page() -> None:
    ui.dashboard(arguments.events, arguments.places)


def add_report_page() -> None:
    ui_report.add_report_page(arguments.events, arguments.places)


page = st.navigation(
    [
        st.Page(dashboard_page, title="Dashboard", icon=":material/map:", default=True),
        st.Page(
            add_report_page, title="Add report", icon=":material/edit_note:", url_path="add-report"
        ),
    ]
)
page.run()
