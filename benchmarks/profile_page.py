"""Where the page's time goes: open, three slider steps and a cell click, profiled in the server.

``python -m benchmarks.profile_page EVENTS.csv OUT.txt [--env NAME=VALUE …]`` starts the
dashboard under :mod:`benchmarks.profile_server` (the events cache is built first by an
unprofiled open, so the figures are those of a warm open), drives Chromium through the steps,
and writes to OUT.txt, per phase, the functions where the script threads spent their time.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from benchmarks import browser
from benchmarks.page import CHROMIUM, CHROMIUM_ARGS, PROFILE_ENV, dashboard_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_page")
    parser.add_argument("events", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    env = dict(pair.split("=", 1) for pair in args.env)
    args.out.unlink(missing_ok=True)
    log = args.out.with_suffix(".log")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with dashboard_server(log, args.events, env) as (url, _):
            browser._open(chromium, url).close()  # builds the caches: the profile is warm
        profiled = {**env, PROFILE_ENV: str(args.out)}
        with dashboard_server(log, args.events, profiled) as (url, server):
            opened = browser._open(chromium, url)
            print(f"open: status {opened.status:.2f} s, map {opened.map:.2f} s", file=sys.stderr)
            server.send_signal(signal.SIGUSR1)
            for _ in range(3):
                took = browser._timed_step(opened.page, lambda: browser._slider_step(opened.page))
                print(f"slider step: {took} s", file=sys.stderr)
            server.send_signal(signal.SIGUSR1)
            took = browser._timed_step(opened.page, lambda: browser._click_a_cell(opened.page))
            print(f"cell click: {took} s", file=sys.stderr)
            server.send_signal(signal.SIGUSR1)
            opened.close()
        chromium.close()
    print(args.out.read_text())


if __name__ == "__main__":
    main()
