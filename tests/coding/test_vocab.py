"""The coder's vocabulary as data: one file per language, read by one engine."""

from __future__ import annotations

import re
import tomllib

from components.coding import vocab
from components.coding.text import LANGUAGES


def test_every_language_file_has_the_same_sections_and_lists():
    shapes = {}
    for path in sorted(vocab.VOCAB_DIR.glob("*.toml")):
        if path.stem == "actors":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        shapes[path.stem] = {section: sorted(lists) for section, lists in data.items()}
    assert set(shapes) == set(LANGUAGES) == {"en", "nl", "de", "fr", "es"}
    assert len({str(shape) for shape in shapes.values()}) == 1


def test_every_entry_compiles_and_the_lists_join_every_language():
    for section, key in [("strikes", "air"), ("casualties", "killed"), ("places", "near")]:
        pattern = re.compile(vocab.alternation(section, key), re.IGNORECASE)
        assert pattern.pattern
    killed = re.compile(vocab.alternation("casualties", "killed"))
    assert all(killed.fullmatch(w) for w in ["killed", "omgekomen", "getötet", "tués", "murieron"])


def test_a_longer_entry_wins_over_its_start():
    air = re.compile(vocab.alternation("strikes", "air"), re.IGNORECASE)
    assert air.match("air strikes hit").group(0) == "air strikes"
    assert air.match("airstrikes hit").group(0) == "airstrikes"
