"""The browser benchmark's report: the server's peak memory while a page is measured, and the
table of figures (benchmarks/browser.py measures them)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

__all__ = ["Memory", "Row", "table"]


@dataclass
class Row:
    """What one size measured; None where a step could not be taken."""

    size: int
    how: str
    figures: dict[str, float | None] = field(default_factory=dict)
    load: str = ""


class Memory:
    """The peak resident memory of a process and its children, sampled every 0.2 s."""

    def __init__(self, process) -> None:
        import psutil

        self._process = psutil.Process(process.pid)
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> float:
        return self._peak / 1e6

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                tree = [self._process, *self._process.children(recursive=True)]
                self._peak = max(self._peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            self._stop.wait(0.2)


# --- the table --------------------------------------------------------------------------------

_COLUMNS = (
    ("no cache: open → map s", "cold map", "s"),
    ("open → status line s", "warm status", "s"),
    ("open → map drawn s", "warm map", "s"),
    ("second browser → map s", "second map", "s"),
    ("slider step s", "slider step", "s"),
    ("preset (30 days) s", "preset", "s"),
    ("preset (all) s", "preset all", "s"),
    ("cell click s", "cell click", "s"),
    ("event click → panel s", "event click", "s"),
    ("sent on open", "sent on open", "bytes"),
    ("sent per step (max)", "sent per step", "bytes"),
    ("server memory MB (peak)", "memory", "mb"),
)


def table(rows: list[Row]) -> str:
    """The figures as a Markdown table, one row per size and page."""
    header = ["events", "page", *(c[0] for c in _COLUMNS), "load avg (1/5/15 min)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [_cell(row.figures.get(key), unit) for _, key, unit in _COLUMNS]
        lines.append("| " + " | ".join([f"{row.size:,}", row.how, *cells, row.load]) + " |")
    return "\n".join(lines)


def _cell(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB" if value >= 10_000 else f"{value / 1e3:.1f} kB"
    if unit == "mb":
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
