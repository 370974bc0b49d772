"""Per-field accuracy of the report coder on a whole-report fixture folder (strict rules).

    .venv/bin/python scripts/report_accuracy.py [tests/coding/reports]

The scoring lives in components.coding.accuracy; real tables are scored with
``python -m components code-check FILE``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from components.coding.accuracy import score_fixture
from components.coding.coder import code_report

FIELDS = ("date", "place", "killed", "injured", "type")


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    folder = Path(argv[0]) if argv else root / "tests/coding/reports"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    totals = dict.fromkeys(FIELDS, 0)
    print(f"{'report':28} " + " ".join(f"{f:>8}" for f in FIELDS))
    for case in expected:
        event = code_report((folder / case["file"]).read_text(encoding="utf-8")).events.iloc[0]
        marks = score_fixture(event, case)
        for name in FIELDS:
            totals[name] += marks[name]
        print(
            f"{case['file']:28} " + " ".join(f"{'ok' if marks[f] else 'MISS':>8}" for f in FIELDS)
        )
    print(f"{'correct':28} " + " ".join(f"{totals[f]:>5}/{len(expected)}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
