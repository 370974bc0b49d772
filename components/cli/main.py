"""The command line: ``python -m components VERB``. One small function per verb."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from components.cli.verbs import (
    run_assets,
    run_bench,
    run_code,
    run_code_check,
    run_db,
    run_export,
    run_gazetteer,
    run_geocode,
    run_geocode_check,
    run_import,
    run_serve,
)
from components.table.errors import StrikemapError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.database:  # every verb then reads and writes that database (components.storage)
        os.environ["STRIKEMAP_DATABASE_URL"] = args.database
    try:
        return args.run(args)
    except StrikemapError as error:
        print(f"strikemap {args.verb}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"strikemap {args.verb}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: still one line, never a traceback
        print(
            f"strikemap {args.verb}: unexpected error ({type(error).__name__}: {error!r}); "
            "please report it",
            file=sys.stderr,
        )
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components", description=__doc__)
    parser.add_argument(
        "--database", metavar="URL", help="postgresql://… (default: $STRIKEMAP_DATABASE_URL)"
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=run.__doc__, description=run.__doc__)
        sub.set_defaults(run=run)
        return sub

    verb("assets", run_assets)

    gazetteer = verb("gazetteer", run_gazetteer)
    gazetteer.add_argument(
        "action", nargs="?", default="build", choices=("build", "add", "learn", "learned", "forget")
    )
    gazetteer.add_argument("files", nargs="*", type=Path, metavar="FILE")
    gazetteer.add_argument("--cache-dir", type=Path, default=None)

    geocode_check = verb("geocode-check", run_geocode_check)
    geocode_check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    geocode_check.add_argument("--split", default="all", choices=("dev", "test", "all"))
    geocode_check.add_argument(
        "--precision", type=int, action="append", metavar="N",
        help="the precision codes whose rows are scored (default 1)",
    )  # fmt: skip
    geocode_check.add_argument("--worst", type=int, default=15, metavar="N")
    geocode_check.add_argument(
        "--learn-from", type=Path, nargs="+", metavar="FILE",
        help="learn these files' places first (never the measured file's own)",
    )  # fmt: skip
    geocode_check.add_argument(
        "--learned", action="store_true", help="consult the learned places, less the file's own"
    )
    geocode_check.add_argument(
        "--far-from-gazetteer", action="store_true",
        help="count the misses that have no gazetteer place within 10 km",
    )  # fmt: skip
    geocode_check.add_argument("--cache-dir", type=Path, default=None)

    geocode = verb("geocode", run_geocode)
    geocode.add_argument("input", type=Path, metavar="IN.csv")
    geocode.add_argument("--out", type=Path, required=True, metavar="OUT.csv")
    geocode.add_argument("--column", default="location", help="the column with place names")
    geocode.add_argument(
        "--country-column", default="country", help="the country's name or ISO code, if any"
    )
    geocode.add_argument("--admin1-column", default="admin1", help="the province, if any")
    geocode.add_argument("--admin2-column", default="admin2", help="the district, if any")
    geocode.add_argument("--provider", default="offline", choices=_providers())
    geocode.add_argument("--domain", help="host of a self-hosted server, e.g. localhost:8080")
    geocode.add_argument("--cache-dir", type=Path, default=None)

    from components.formats import FORMAT_CHOICES

    importer = verb("import", run_import)
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--format", default="auto", choices=FORMAT_CHOICES)
    importer.add_argument("--out", type=Path, required=True, metavar="OUT.csv")
    importer.add_argument(
        "--cameo",
        action="append",
        metavar="CODE",
        help="GDELT: keep these CAMEO codes and their children (default 19, fight)",
    )
    importer.add_argument(
        "--rejects", type=Path, metavar="FILE", help="write every rejected row, with why, as CSV"
    )
    importer.add_argument(
        "--learn", action="store_true",
        help="learn the places of its precision-1 events for later geocoding",
    )  # fmt: skip
    importer.add_argument("--cache-dir", type=Path, default=None)

    coder = verb("code", run_code)
    coder.add_argument("inputs", type=Path, nargs="+", metavar="FILE_OR_DIR")
    coder.add_argument("--out", type=Path, required=True, metavar="OUT.csv")
    coder.add_argument("--cache-dir", type=Path, default=None)

    check = verb("code-check", run_code_check)
    check.add_argument("input", type=Path, metavar="FILE")
    check.add_argument("--split", default="all", choices=("dev", "test", "all"))
    check.add_argument("--limit", type=int, metavar="N", help="score the first N rows only")
    check.add_argument("--worst", type=int, default=10, metavar="N", help="worst cases shown")
    check.add_argument(
        "--learn-from", type=Path, nargs="+", metavar="FILE",
        help="also score with the exact places of these files learned (never FILE itself)",
    )  # fmt: skip
    check.add_argument("--cache-dir", type=Path, default=None)

    bench = verb("bench", run_bench)
    bench.add_argument("--sizes", metavar="N,N,...", help="default 10000,100000,1000000")
    bench.add_argument("--naive-size", type=int, metavar="N", help="default 10000; 0 for none")
    bench.add_argument("--out-dir", type=Path, help="keep the synthetic files here")
    bench.add_argument("--browser", action="store_true", help="also measure the page in Chromium")
    bench.add_argument("--engine", action="store_true", help="also measure the DuckDB engine")
    bench.add_argument("--skip-functions", action="store_true", help="no function-level table")
    bench.add_argument("--engine-sizes", metavar="N,N,...", help="default 1000000,10000000")

    serve = verb("serve", run_serve)
    serve.add_argument("--events", type=Path, help="default: $STRIKEMAP_EVENTS or data/events.csv")
    serve.add_argument("--places", type=Path, help="default: $STRIKEMAP_PLACES or data/places.csv")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", help="default: every address (Streamlit's own default)")

    db = verb("db", run_db)
    db.add_argument("action", choices=("init", "load", "dump"))
    db.add_argument("path", type=Path, nargs="?", metavar="FILE.csv")
    db.add_argument("--places", type=Path, metavar="places.csv", help="load: default beside FILE")

    exporter = verb("export", run_export)
    exporter.add_argument("input", type=Path, metavar="IN.csv")
    exporter.add_argument("--format", required=True, choices=("csv", "geojson"))
    exporter.add_argument("--out", type=Path, required=True, metavar="OUT")
    exporter.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    exporter.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    exporter.add_argument("--killed-min", type=int, metavar="N")
    exporter.add_argument("--killed-max", type=int, metavar="N")
    exporter.add_argument(
        "--reported-only", action="store_true", help="leave out events with no casualty figure"
    )
    exporter.add_argument("--event-type", action="append", metavar="TYPE")
    exporter.add_argument("--actor", action="append", metavar="NAME")
    exporter.add_argument(
        "--plain", action="store_true", help="CSV: do not neutralise spreadsheet formulas"
    )
    return parser


def _providers() -> tuple[str, ...]:
    from components.geo.geocoders.online import PROVIDERS

    return tuple(PROVIDERS)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2018-02-07") from error
