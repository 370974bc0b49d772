"""What the geocoding verbs of the command line do (``gazetteer add|learn|learned|forget``,
``geocode-check``); components/cli/main.py only parses their arguments."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from components.geo.check import (
    check_files,
    misses,
    misses_far_from_gazetteer,
    read_truth,
    summarise,
)
from components.geo.gazetteer import Gazetteer, default_gazetteer, resolve_cache_dir
from components.geo.geonames_dump import read_dump, save_dump
from components.geo.learned import file_source, learned_counts, learned_places
from components.table.errors import GeocodeInputError

__all__ = ["add_dump", "check", "forget", "learn_files", "learn_imported", "learned_counts"]


def add_dump(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None) -> str:
    """Import a GeoNames country dump and rebuild the index; the line to print."""
    directory = resolve_cache_dir(cache_dir)
    dump = read_dump(path)
    save_dump(dump, directory, Path(path).name)
    gazetteer = Gazetteer.build(directory)
    return (
        f"gazetteer: {len(dump.places):,} places and {len(dump.region_names):,} region names "
        f"of {dump.country} added; {len(gazetteer):,} places in the index"
    )


def learn_files(
    paths: Sequence[str | os.PathLike[str]], cache_dir: str | os.PathLike[str] | None
) -> list[str]:
    """Learn the precision-1 places of each file (ACLED, UCDP or an imported events table)."""
    store = learned_places(cache_dir, create=True)
    assert store is not None
    lines = []
    try:
        for path in paths:
            events = _exact_events(Path(path))
            count = store.learn(events, file_source(path))
            lines.append(f"gazetteer learn: {count:,} places learned from {Path(path).name}")
    finally:
        store.close()
    return lines


def learn_imported(
    events: pd.DataFrame, path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None
) -> str:
    """Learn the precision-1 places of events just imported from ``path``; the line to print."""
    store = learned_places(cache_dir, create=True)
    assert store is not None
    try:
        count = store.learn(events, file_source(path))
    finally:
        store.close()
    name = Path(path).name
    return (
        f"import: {count:,} places learned from {name} for later geocoding "
        f"(`gazetteer forget {name}` removes them)"
    )


def forget(source: str, cache_dir: str | os.PathLike[str] | None) -> int:
    """Forget what one file taught; how many places went."""
    store = learned_places(cache_dir)
    if store is None:
        return 0
    try:
        return store.forget(source)
    finally:
        store.close()


def check(
    paths: Sequence[str | os.PathLike[str]],
    *,
    split: str = "all",
    precisions: Sequence[int] = (1,),
    worst: int = 15,
    learn_from: Sequence[str | os.PathLike[str]] = (),
    use_learned: bool = False,
    far_from_gazetteer: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The geocode-check report for files holding names and true coordinates."""
    usable, skipped = [], []
    for path in paths:
        try:
            read_truth(path, precisions=precisions)
            usable.append(path)
        except GeocodeInputError as error:
            skipped.append(f"skipped {error}")
    learners = [p for p in learn_from if _readable(p)]
    learned = learned_places(cache_dir) if use_learned else None
    result = check_files(
        usable, split=split, precisions=precisions, learned=learned, learn_from=learners,
        cache_dir=cache_dir,
    )  # fmt: skip
    lines = [*skipped]
    learned_note = "nothing learned"
    if learners:
        learned_note = f"places learned from {len(learners)} other files, never the measured one"
    elif learned is not None:
        learned_note = "the learned places (less the measured file's)"
    lines.append(
        f"geocode-check: {len(usable)} files, {split} split, precision {precisions} rows, "
        f"one case per distinct place; {learned_note}"
    )
    lines.append(summarise(result, worst=worst))
    if far_from_gazetteer and not result.cases.empty:
        far = misses_far_from_gazetteer(result, default_gazetteer(cache_dir))
        missed = int(misses(result.cases).sum())
        lines.append(
            f"of {missed:,} places not placed within 50 km at precision 1 (not found, fallen "
            f"back to a region, or farther), {far:,} have no gazetteer place within 10 km of "
            "the true point"
        )
    return "\n".join(lines)


def _readable(path: str | os.PathLike[str]) -> bool:
    try:
        read_truth(path)
    except GeocodeInputError:
        return False
    return True


def _exact_events(path: Path) -> pd.DataFrame:
    """A file's rows at precision 1, as ACLED or UCDP write them, else as imported events."""
    try:
        return read_truth(path)
    except GeocodeInputError:
        pass
    from components import formats

    return formats.import_file(path).events
