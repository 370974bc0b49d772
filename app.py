"""Strikemap: reported strikes on a map. ``streamlit run app.py -- --events FILE``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import streamlit as st

from components import ui

DEFAULT_EVENTS = Path(__file__).parent / "data" / "events.csv"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="streamlit run app.py --")
    default = Path(os.environ.get("STRIKEMAP_EVENTS", DEFAULT_EVENTS))
    parser.add_argument("--events", type=Path, default=default, help="canonical events CSV")
    return parser.parse_known_args(argv)[0]


st.set_page_config(page_title="Strikemap", page_icon="🗺️", layout="wide")
ui.dashboard(parse_args(sys.argv[1:]).events)
