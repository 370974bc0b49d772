"""What each verb of ``python -m components`` does: one small function per verb over the
packages, given the parsed arguments; the parser is in :mod:`components.cli.main`."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from components.table import schema as s


def run_assets(args: argparse.Namespace) -> int:
    """Copy the map's JavaScript, CSS and outlines from node_modules into static/vendor."""
    from components.map import assets

    try:
        copied = assets.install_assets()
    except FileNotFoundError as error:
        print(f"strikemap assets: {error}", file=sys.stderr)
        return 2
    print(f"assets: {len(copied)} map files in place under {assets.STATIC_VENDOR}")
    return 0


def run_gazetteer(args: argparse.Namespace) -> int:
    """Build the offline gazetteer index once (later runs load it in well under a second);
    `add FILE` imports a GeoNames country dump (XX.zip or XX.txt), `learn FILE...` learns the
    precision-1 places of ACLED/UCDP files or imported events, `learned` lists what was
    learned from which file, `forget FILE` forgets one file's places."""
    from components.geo import commands
    from components.geo.gazetteer import Gazetteer

    if args.action == "add" and len(args.files) == 1:
        print(commands.add_dump(args.files[0], args.cache_dir))
    elif args.action == "learn" and args.files:
        print("\n".join(commands.learn_files(args.files, args.cache_dir)))
    elif args.action == "learned" and not args.files:
        counts = commands.learned_counts(args.cache_dir)
        for source, count in counts.items():
            print(f"{count:8,}  {source}")
        print(f"gazetteer: {sum(counts.values()):,} places learned from {len(counts)} files")
    elif args.action == "forget" and len(args.files) == 1:
        removed = commands.forget(Path(args.files[0]).name, args.cache_dir)
        name = _name(Path(args.files[0]).name)
        print(f"gazetteer: {removed:,} learned places of {name} forgotten")
    elif args.action == "build" and not args.files:
        started = time.perf_counter()
        gazetteer = Gazetteer.load(args.cache_dir)
        elapsed = time.perf_counter() - started
        print(f"gazetteer: {len(gazetteer):,} places ready in {elapsed:.1f} s")
    else:
        usage = "`gazetteer`, `gazetteer add FILE`, `gazetteer learn FILE...`, "
        usage += "`gazetteer learned` or `gazetteer forget FILE`"
        print(f"strikemap gazetteer: use {usage}", file=sys.stderr)
        return 2
    return 0


def run_geocode_check(args: argparse.Namespace) -> int:
    """Geocode the place names of files that hold true coordinates (ACLED, UCDP exports)
    without looking at them, and print how far the answers are, by file, country and
    precision, with the worst cases."""
    from components.geo import commands

    print(
        commands.check(
            args.files, split=args.split, precisions=tuple(args.precision or [1]),
            worst=args.worst,
            learn_from=args.learn_from or (), use_learned=args.learned,
            far_from_gazetteer=args.far_from_gazetteer, cache_dir=args.cache_dir,
        )
    )  # fmt: skip
    return 0


def run_geocode(args: argparse.Namespace) -> int:
    """Add latitude, longitude, geo_precision, geocoder and matched_name to every row of a CSV."""
    from components.geo.table import geocode_file

    summary = geocode_file(
        args.input,
        args.out,
        column=args.column,
        country_column=args.country_column,
        admin1_column=args.admin1_column,
        admin2_column=args.admin2_column,
        provider=args.provider,
        domain=args.domain,
        cache_dir=args.cache_dir,
        progress=sys.stderr.isatty(),
    )
    print(f"geocode: {summary}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Read ACLED, UCDP GED, GDELT, GeoJSON, Bellingcat, Airwars, a table of dated places or
    canonical CSV; write the good rows as canonical, and say per cause which rows were left out."""
    from components import formats
    from components.formats import writers
    from components.formats.report import write_rejects, write_sources

    options = formats.ImportOptions(event_codes=tuple(args.cameo)) if args.cameo else None
    imported = formats.import_file(args.file, args.format, options=options)
    *lines, totals = imported.report()
    for line in lines:
        print(line, file=sys.stderr)
    if args.rejects is not None:
        write_rejects(imported, args.rejects)
        print(f"rejected rows listed in {_name(args.rejects)}", file=sys.stderr)
    if imported.events.empty and imported.rows_in:
        print(f"strikemap import: nothing imported; {totals}; {_name(args.out)} not written",
              file=sys.stderr)  # fmt: skip
        return 1
    writers.export_file(imported.events, args.out, "csv", spreadsheet_safe=False)
    sources = write_sources(imported.sources, args.out)
    print(f"import: {imported.summary()} · written to {_name(args.out)}")
    if args.learn:
        from components.geo.commands import learn_imported

        print(learn_imported(imported.events, args.file, args.cache_dir))
    if sources:
        count = len(imported.sources)
        print(f"import: {count:,} more sources of the events written to {_name(sources)}")
    print(totals)
    return 0


def run_code(args: argparse.Namespace) -> int:
    """Draft coded events from news reports (.txt files, or folders of them) in English,
    Dutch, German, French or Spanish; each row keeps the report's text and notes on where
    every field came from; places learned from the user's datasets come before the gazetteer."""
    from components.coding.coder import code_paths
    from components.formats import writers
    from components.geo.learned import learned_places

    learned = learned_places(args.cache_dir)
    try:
        events, problems = code_paths(
            args.inputs, gazetteer=_gazetteer(args.cache_dir), learned=learned
        )
    finally:
        if learned is not None:
            learned.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    if events.empty:
        print("strikemap code: no reports to code; give .txt files or folders of them",
              file=sys.stderr)  # fmt: skip
        return 2
    writers.export_file(events, args.out, "csv", spreadsheet_safe=False)
    reports = events[s.SOURCE_TEXT].nunique()
    out = _name(args.out)
    print(f"code: {len(events):,} draft events from {reports:,} reports written to {out}")
    return 0


def run_code_check(args: argparse.Namespace) -> int:
    """Code the text column of a table that also holds the truth (ACLED notes, FA-KES
    articles) and print per-field accuracy under strict rules, with the worst cases."""
    from components.coding import accuracy
    from components.coding.learn_check import learned_from

    gazetteer = _gazetteer(args.cache_dir)
    with contextlib.ExitStack() as stack:
        # Learned first: a file that is the one measured is refused before anything is scored.
        store = (
            stack.enter_context(learned_from(args.learn_from, args.input, gazetteer))
            if args.learn_from else None
        )  # fmt: skip
        scored = accuracy.check_file(args.input, gazetteer, split=args.split, limit=args.limit)
        if not scored:
            where = _name(args.input)
            print(f"strikemap code-check: {where}: no scorable rows in the {args.split} split",
                  file=sys.stderr)  # fmt: skip
            return 2
        print(f"code-check: {_name(args.input.name)}, {args.split} split, nothing learned")
        print(accuracy.summarise(scored, worst=args.worst))
        if store is not None:
            scored = accuracy.check_file(
                args.input, gazetteer, split=args.split, limit=args.limit, learned=store
            )
            taught = ", ".join(f"{_name(k)} {v:,}" for k, v in store.counts().items())
            print(f"\ncode-check: {_name(args.input.name)}, {args.split} split, "
                  f"places learned from other files ({taught or 'none'})")  # fmt: skip
            print(accuracy.summarise(scored, worst=args.worst))
    return 0


def _name(path: object) -> str:
    """A file name as printed: control characters escaped, so that a name holding terminal
    escapes cannot clear the screen or forge lines."""
    from components.table.errors import printable

    return printable(str(path))


def _gazetteer(cache_dir: Path | None):
    from components.geo.gazetteer import default_gazetteer

    return default_gazetteer(cache_dir)


def run_export(args: argparse.Namespace) -> int:
    """Write the events of a canonical CSV that pass the filters given as CSV or GeoJSON."""
    from components.formats import writers
    from components.table.events import read_events
    from components.view.filters import EventFilter, filter_events

    loaded = read_events(args.input)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    event_filter = EventFilter(
        date_from=args.date_from,
        date_to=args.date_to,
        killed=(args.killed_min, args.killed_max) if args.killed_min is not None else None,
        include_unknown_casualties=not args.reported_only,
        event_types=frozenset(args.event_type) if args.event_type else None,
        actors=frozenset(args.actor) if args.actor else None,
    )
    chosen = filter_events(loaded.events, event_filter)
    writers.export_file(chosen, args.out, args.format, spreadsheet_safe=not args.plain)
    print(
        f"export: {len(chosen):,} of {len(loaded.events):,} events "
        f"({event_filter.describe()}) written to {_name(args.out)} as {args.format}"
    )
    return 0


def run_bench(args: argparse.Namespace) -> int:
    """Time loading, filtering and drawing synthetic events (10k, 100k and 1M by default,
    never shipped as data) against a naive one-marker-per-event map, and print the table;
    --browser measures the page in Chromium too, --engine the DuckDB engine up to 10M."""
    from benchmarks.bench import main as bench

    given = {"--sizes": args.sizes, "--naive-size": args.naive_size, "--out-dir": args.out_dir}
    given |= {"--engine-sizes": args.engine_sizes}
    flags = [f"--{f}" for f in ("browser", "engine") if getattr(args, f)]
    flags += ["--skip-functions"] if args.skip_functions else []
    return bench(
        [str(v) for option, value in given.items() if value is not None for v in (option, value)]
        + flags
    )


def run_serve(args: argparse.Namespace) -> int:
    """Start the dashboard, as `streamlit run app.py` does, with the page imported and its
    events read beside the server before the first browser asks (other Streamlit settings:
    .streamlit/config.toml or STREAMLIT_* variables)."""
    from components.ui.serve import serve

    page = [f"--{name}={value}" for name in ("events", "places") if (value := getattr(args, name))]
    server = ["--server.port", str(args.port)]
    server += ["--server.address", args.address] if args.address else []
    return serve(page, server)


def run_db(args: argparse.Namespace) -> int:
    """Database mode: `db init` makes the tables, `db load EVENTS.csv` replaces the database's
    events, sources and hand places with the files', `db dump OUT.csv` writes them back."""
    from components.storage.commands import run_db as run

    return run(args.action, args.database, args.path, args.places)
