"""The command line: ``python -m components VERB``. One small function per verb."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from components.errors import StrikemapError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except StrikemapError as error:
        print(f"strikemap {args.verb}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"strikemap {args.verb}: interrupted", file=sys.stderr)
        return 130


def run_assets(args: argparse.Namespace) -> int:
    """Copy the map's JavaScript, CSS and outlines from node_modules into static/vendor."""
    from components import assets

    try:
        copied = assets.install_assets()
    except FileNotFoundError as error:
        print(f"strikemap assets: {error}", file=sys.stderr)
        return 2
    print(f"assets: {len(copied)} map files in place under {assets.STATIC_VENDOR}")
    return 0


def run_gazetteer(args: argparse.Namespace) -> int:
    """Build the offline gazetteer index once (later runs load it in well under a second)."""
    from components.gazetteer import Gazetteer

    started = time.perf_counter()
    gazetteer = Gazetteer.load(args.cache_dir)
    elapsed = time.perf_counter() - started
    print(f"gazetteer: {len(gazetteer):,} places ready in {elapsed:.1f} s")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=run.__doc__, description=run.__doc__)
        sub.set_defaults(run=run)
        return sub

    verb("assets", run_assets)

    gazetteer = verb("gazetteer", run_gazetteer)
    gazetteer.add_argument("--cache-dir", type=Path, default=None)

    return parser
