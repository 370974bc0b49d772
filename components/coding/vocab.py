"""The coder's vocabulary, one data file per language (vocab/en.toml, nl.toml ...), read by
one engine: adding a language is adding a file.

Each file has sections (``strikes``, ``casualties``, ``qualifiers``, ``places``) of word
lists. An entry is a word or phrase, or a small pattern for its inflections (``strikes?``).
The coder reads reports in any of its languages at once, so a list is the union over all
files; :func:`alternation` makes one regular-expression alternative of it, longest first.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

__all__ = ["VOCAB_DIR", "alternation", "languages", "words"]

VOCAB_DIR = Path(__file__).with_name("vocab")
# Data files in the folder that are not a language's vocabulary.
_NOT_LANGUAGES = frozenset({"actors"})


@functools.cache
def _files() -> dict[str, dict]:
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(VOCAB_DIR.glob("*.toml"))
        if path.stem not in _NOT_LANGUAGES
    }


def languages() -> tuple[str, ...]:
    """The ISO 639-1 codes of the languages the coder reads, English first."""
    return tuple(sorted(_files(), key=lambda code: (code != "en", code)))


@functools.cache
def words(section: str, key: str) -> tuple[str, ...]:
    """The entries of one list in every language, each once, in file order."""
    found: dict[str, None] = {}
    for code in languages():
        for entry in _files()[code].get(section, {}).get(key, []):
            found.setdefault(entry, None)
    return tuple(found)


@functools.cache
def alternation(section: str, key: str) -> str:
    """The entries of one list as one regular-expression alternative, longest first (so that
    "air strikes" wins over "air"); spaces match any run of white space."""
    entries = sorted(words(section, key), key=len, reverse=True)
    # A space matches any white space, but " ?" (an optional space) stays as written.
    spaced = (_SPACE.sub(r"\\s+", entry) for entry in entries)
    return "|".join(f"(?:{entry})" for entry in spaced)


_SPACE = re.compile(r" (?!\?)")
