"""Strikemap: reported strikes on a map. ``streamlit run app.py -- --events FILE``, or
``python -m components serve --events FILE`` to have the events read before the first page.

Two pages: the dashboard (the default, at "/") and "Add report", where a news report is
coded into draft events and saved into the events file.
"""

from __future__ import annotations

import sys

import streamlit as st

from components.ui import dashboard as ui
from components.ui import report as ui_report
from components.ui.serve import app_arguments

st.set_page_config(page_title="Strikemap", page_icon="🗺️", layout="wide")
arguments = app_arguments(sys.argv[1:])


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
