"""Tests mirror the packages of components/; browser/ holds the end-to-end tests in Chromium."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPORT_SETS = TESTS / "coding"
