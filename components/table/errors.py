"""One root for Strikemap's errors; each also inherits the builtin it resembles."""

from __future__ import annotations


class StrikemapError(Exception):
    """Root of every error Strikemap raises on purpose."""


class EventFileError(StrikemapError, ValueError):
    """A whole events file cannot be used (missing, empty, binary, no usable columns)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


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
    """The manual places file (data/places.csv) has a row that cannot be used."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class GeocodeInputError(StrikemapError, ValueError):
    """A file given to the geocode command cannot be used (missing, unreadable, no column)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnknownProviderError(StrikemapError, ValueError):
    """A geocoding provider name or domain that cannot be used; the message lists the choices."""
