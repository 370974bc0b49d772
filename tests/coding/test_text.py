"""The language of a report, read by a statistical identifier restricted to five languages."""

from __future__ import annotations

import pytest

from components.coding.text import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("An air strike on a market killed twelve people on Monday.", "en"),
        ("Bij een luchtaanval op een markt zijn maandag twaalf mensen omgekomen.", "nl"),
        ("Bei einem Luftangriff auf einen Markt wurden am Montag zwölf Menschen getötet.", "de"),
        ("Une frappe aérienne sur un marché a tué douze personnes lundi.", "fr"),
        ("Un bombardeo contra un mercado mató el lunes a doce personas.", "es"),
    ],
)
def test_each_of_the_five_languages_is_told(text, language):
    assert detect_language(text) == language


def test_a_text_in_another_language_is_read_as_one_of_the_five():
    assert detect_language("Um ataque aéreo matou doze pessoas no mercado.") in (
        "en", "nl", "de", "fr", "es",
    )  # fmt: skip


def test_a_text_without_words_is_read_as_english():
    assert detect_language("12 345 — 67") == "en"
