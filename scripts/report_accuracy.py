"""Per-field accuracy of the report coder on hand-written whole-report fixtures.

    .venv/bin/python scripts/report_accuracy.py [tests/reports]

Each fixture directory holds reports (*.txt) and expected.json (one object per report:
date, latitude, longitude, killed and injured figures as reported, event_type). The first
draft event of each report is compared: date within a day, place within 40 km, killed and
injured ranges holding every reported figure (empty when none is reported), event type.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.coding.coder import code_report

FIELDS = ("date", "place", "killed", "injured", "type")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "tests/reports"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    totals = dict.fromkeys(FIELDS, 0)
    all_three = 0
    print(f"{'report':28} " + " ".join(f"{f:>8}" for f in FIELDS))
    for case in expected:
        event = code_report((folder / case["file"]).read_text(encoding="utf-8")).events.iloc[0]
        marks = score(event, case)
        for field, ok in marks.items():
            totals[field] += ok
        all_three += marks["date"] and marks["place"] and marks["killed"] and marks["injured"]
        print(
            f"{case['file']:28} " + " ".join(f"{'ok' if marks[f] else 'MISS':>8}" for f in FIELDS)
        )
    count = len(expected)
    print(f"{'correct':28} " + " ".join(f"{totals[f]:>5}/{count}" for f in FIELDS))
    print(f"reports with date, place, killed and injured all right: {all_three}/{count}")
    return 0


def score(event, case: dict) -> dict[str, bool]:
    """Whether each field of a drafted event agrees with the expected values."""
    start = dt.date.fromisoformat(event["date_start"])
    date_ok = abs((start - dt.date.fromisoformat(case["date"])).days) <= 1
    place_ok = False
    if event["latitude"]:
        distance = km(float(event["latitude"]), float(event["longitude"]),
                      case["latitude"], case["longitude"])  # fmt: skip
        place_ok = distance <= 40
    return {
        "date": date_ok,
        "place": place_ok,
        "killed": holds(event["killed_min"], event["killed_max"], case["killed"]),
        "injured": holds(event["injured_min"], event["injured_max"], case["injured"]),
        "type": event["event_type"] == case["event_type"],
    }


def holds(low: str, high: str, figures: list[int]) -> bool:
    """A range holds every reported figure; with none reported it must stay empty."""
    if not figures:
        return low == "" and high == ""
    if low == "" and high == "":
        return False
    lowest = int(low) if low else 0
    return all(lowest <= f and (high == "" or f <= int(high)) for f in figures)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
