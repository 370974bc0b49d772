"""Places learned for a code-check from OTHER files than the one measured: the coder is scored
with what an analyst's other datasets would have taught it, never with the answers of the
table it is scored on."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from components.geo.check import read_truth
from components.geo.gazetteer import Gazetteer
from components.geo.learned import LearnedPlaces, file_source, throwaway
from components.table.errors import EventFileError, GeocodeInputError
from components.table.schema import EVENT_ID

__all__ = ["learned_from"]

# Every precision a file may give: an event of the measured file is never learned, however
# loosely it was placed.
_ANY_PRECISION = tuple(range(1, 10))


@contextlib.contextmanager
def learned_from(
    others: Sequence[Path], measured: Path, gazetteer: Gazetteer
) -> Iterator[LearnedPlaces]:
    """A throw-away store of the exact places of ``others``, less any event whose id the
    measured file holds too (two exports of one dataset). Refuses the measured file itself,
    by path or by content."""
    own = _digest(measured)
    for other in others:
        if other.resolve() == measured.resolve() or _digest(other) == own:
            raise EventFileError(
                str(other),
                "is the file being measured: learn from other files only, or the coder "
                "would be scored on the answers it was given",
            )
    own_ids = _event_ids(measured)
    with throwaway(gazetteer) as store:
        for other in others:
            store.learn(read_truth(other), file_source(other), skip_ids=own_ids)
        yield store


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise EventFileError(str(path), f"could not be read ({error.strerror})") from None


def _event_ids(path: Path) -> set[str]:
    """The event ids of the measured file (none when it has no place truth, as FA-KES)."""
    try:
        truth = read_truth(path, precisions=_ANY_PRECISION)
    except GeocodeInputError:
        return set()
    return set(truth[EVENT_ID]) - {""}
