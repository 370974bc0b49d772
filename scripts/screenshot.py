"""Take the README's screenshot: the dashboard on the shipped data with the seed strike selected.

Run inside the venv: ``python scripts/screenshot.py [OUT.png]`` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.dashboard import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SEED_STRIKE,
    map_frame_locator,
    running_dashboard,
)


def main(out: Path) -> None:
    with running_dashboard(out.with_suffix(".log")) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1050})
        # The strike selected through the address, as a shared link would.
        page.goto(f"{url}/?event=seed-000-2&lat={SEED_STRIKE[0]}&lng={SEED_STRIKE[1]}&zoom=7")
        page.wait_for_selector(IDLE, timeout=90_000)
        map_frame_locator(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
        page.locator(".st-key-detail_panel").get_by_text("De Amerikaanse").wait_for()
        time.sleep(1)
        page.screenshot(path=str(out))
        browser.close()
    out.with_suffix(".log").unlink(missing_ok=True)
    print(f"screenshot: {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
