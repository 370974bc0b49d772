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
