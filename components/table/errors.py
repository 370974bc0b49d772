"""One root for Strikemap's errors; each also inherits the builtin it resembles."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from components import PROJECT_ROOT


def printable(text: str) -> str:
    """``text`` with control and format characters (ANSI escapes, newlines, bidi overrides)
    shown as escapes, so that a message about hostile input stays one harmless line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file's name for messages: relative to the project when it lies inside it, so that a
    page never shows the server's folders; otherwise as it was given. Always one printable line.
    """
    text = os.fspath(path)
    if os.path.isabs(text):
        with contextlib.suppress(ValueError):
            text = Path(text).relative_to(PROJECT_ROOT).as_posix()
    return printable(text)


class StrikemapError(Exception):
    """Root of every error Strikemap raises on purpose."""


class EventFileError(StrikemapError, ValueError):
    """A whole events file cannot be used (missing, empty, binary, no usable columns)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{shown_path(path)}: {reason}")


class SourcesFileError(EventFileError):
    """A sources file cannot be used as a whole (unreadable, binary, no event_id column)."""


class MergeError(StrikemapError, ValueError):
    """A merge that was not made: an id not in the events file, or a file that could not be
    read or written (then nothing was changed)."""


class GazetteerError(StrikemapError, RuntimeError):
    """The offline gazetteer could not be built or loaded."""


class ImportFileError(EventFileError):
    """A file to import cannot be used as a whole: empty, binary, not valid in its format,
    or with no columns that any importer recognises. ``format_name`` is the format tried, if any.
    """

    def __init__(self, path: str, reason: str, *, format_name: str | None = None) -> None:
        self.format_name = format_name
        super().__init__(path, reason)


class UnknownFormatError(StrikemapError, ValueError):
    """A format name that no importer or exporter has; the message lists the valid ones."""

    def __init__(self, name: str, choices: tuple[str, ...], kind: str = "import") -> None:
        self.name = name
        self.choices = choices
        super().__init__(f"unknown {kind} format {name!r}; valid options are {', '.join(choices)}")


class PlacesFileError(StrikemapError, ValueError):
    """The manual places file (data/places.csv) cannot be used, or a place given to it."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{shown_path(path)}: {reason}")


class GeocodeInputError(StrikemapError, ValueError):
    """A file given to the geocode command cannot be used (missing, unreadable, no column)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{shown_path(path)}: {reason}")


class UnknownProviderError(StrikemapError, ValueError):
    """A geocoding provider name or domain that cannot be used; the message lists the choices."""
