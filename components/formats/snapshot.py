"""A snapshot of the current view as one standalone HTML file that opens offline.

Leaflet, the topojson reader and the Natural Earth country outlines are inlined from
``static/vendor`` (``make setup`` puts them there), the events are the map layer's own point
features, and the page states the filters, the counts and when it was made. Opening the file
makes no network request: everything is in it, and its Content-Security-Policy forbids
fetching anything else.

Report text is untrusted: in the HTML it is escaped, in the embedded JSON ``<``, ``>``, ``&``
and the JavaScript line separators are written as ``\\u`` escapes, and in the map a hover label
is set through ``textContent``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from components.map import assets
from components.map.layer import (
    APPROXIMATE_EXTRA_RADIUS,
    UNKNOWN_TYPE_COLOUR,
    event_features,
    size_legend,
    type_colours,
)
from components.table import schema as s
from components.view.summary import totals

__all__ = ["CONTENT_SECURITY_POLICY", "script_json", "snapshot_html"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_CSS_IMAGE = re.compile(r"url\(images/([A-Za-z0-9_.-]+\.png)\)")


def snapshot_html(
    events: pd.DataFrame,
    *,
    filters_text: str,
    colours: Mapping[str, str] | None = None,
    title: str = "Strikemap snapshot",
    made: dt.datetime | None = None,
    static_vendor: Path = assets.STATIC_VENDOR,
) -> str:
    """The view as a standalone HTML page: map, legend, filters in words, counts, date made.

    ``events`` is the filtered view; ``colours`` the type colours of the whole table (as the
    dashboard's map uses them); ``filters_text`` the filters in words (``EventFilter.describe``).
    Raises FileNotFoundError naming ``make setup`` when the map's files are not installed.
    """
    missing = assets.missing_assets(static_vendor)
    if missing:
        raise FileNotFoundError(
            f"{static_vendor} lacks {', '.join(missing)}; run `make setup` to install the "
            "map's files"
        )
    made = made or dt.datetime.now(dt.UTC)
    features = event_features(events, None, colours)
    placed = len(features)
    unplaced = len(events) - placed
    e = html.escape
    counts = f"{placed:,} event{'s' if placed != 1 else ''} on the map"
    if unplaced:
        counts += f" · {unplaced:,} not on the map (no coordinates)"
    summary_lines = "".join(f"<li>{e(line)}</li>" for line in totals(events).describe())
    return _PAGE.format(
        csp=e(CONTENT_SECURITY_POLICY),
        title=e(title),
        leaflet_css=_inline_css(static_vendor),
        filters=e(filters_text or "all events"),
        counts=e(counts),
        made=e(_made_words(made)),
        summary=summary_lines,
        legend=_legend_html(events, colours),
        events_json=script_json({"type": "FeatureCollection", "features": features}),
        outlines_json=_escape_json_text(
            (static_vendor / "world-atlas" / "countries-50m.json").read_text(encoding="utf-8")
        ),
        leaflet_js=_inline_script(static_vendor / "leaflet" / "leaflet.js"),
        topojson_js=_inline_script(static_vendor / "topojson-client" / "topojson-client.min.js"),
        map_js=_MAP_SCRIPT,
    )


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no markup, no JavaScript line separators."""
    return _escape_json_text(json.dumps(value, ensure_ascii=False, allow_nan=False))


# --- helpers -----------------------------------------------------------------------------------


def _escape_json_text(text: str) -> str:
    """JSON text with the characters that could end or confuse a <script> element escaped.

    Outside strings JSON never holds them, so escaping the whole text keeps it the same JSON.
    """
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _inline_script(path: Path) -> str:
    # "</script" or "<!--" inside the file would end or confuse the element; "<\/" means the
    # same in a JavaScript string, regular expression or comment.
    text = path.read_text(encoding="utf-8")
    return re.sub(r"<(/script|!--)", r"<\\\1", text, flags=re.IGNORECASE)


def _inline_css(static_vendor: Path) -> str:
    """Leaflet's stylesheet with its images as data: URLs, so nothing is fetched."""
    folder = static_vendor / "leaflet"
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_url(match: re.Match[str]) -> str:
        image = folder / "images" / match.group(1)
        if not image.exists():
            return "none"
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"

    return _CSS_IMAGE.sub(data_url, css).replace("</", "<\\/")


def _legend_html(events: pd.DataFrame, colours: Mapping[str, str] | None) -> str:
    e = html.escape
    present = sorted(set(events[s.EVENT_TYPE].fillna("").astype(str)))
    colours = type_colours(events[s.EVENT_TYPE]) if colours is None else colours
    items = []
    for event_type in present:
        colour = str(colours.get(event_type, UNKNOWN_TYPE_COLOUR))
        colour = colour if _HEX_COLOUR.match(colour) else UNKNOWN_TYPE_COLOUR
        items.append(
            f'<li><span class="swatch" style="background:{e(colour)}"></span>'
            f"{e(event_type or '(no type)')}</li>"
        )
    sizes = "".join(
        f'<li><span class="size" style="width:{2 * r}px;height:{2 * r}px"></span>{e(label)}</li>'
        for label, r in size_legend()
    )
    rough = 2 * (6 + APPROXIMATE_EXTRA_RADIUS)
    return (
        f'<ul class="types">{"".join(items) or "<li>no events</li>"}</ul>'
        f'<ul class="sizes">{sizes}</ul>'
        f'<ul class="precision"><li><span class="approximate" style="width:{rough}px;'
        f"height:{rough}px\"></span>approximate: placed at a region's centre, or dated only "
        "to a month or a year (hollow, dashed, larger)</li></ul>"
    )


def _made_words(made: dt.datetime) -> str:
    if made.tzinfo is not None:
        made = made.astimezone(dt.UTC)
    return f"{made.day} {made:%B %Y, %H:%M} UTC"


_MAP_SCRIPT = """
(function () {
    "use strict";
    const events = JSON.parse(document.getElementById("events-data").textContent);
    const outlines = JSON.parse(document.getElementById("outlines-data").textContent);
    const map = L.map("map", {worldCopyJump: true, maxZoom: 18, minZoom: 1});
    window.snapshotMap = map;
    const pane = map.createPane("outlines");
    pane.style.zIndex = 350;
    pane.style.pointerEvents = "none";
    L.geoJSON(topojson.feature(outlines, outlines.objects.countries), {
        pane: "outlines",
        interactive: false,
        style: {color: "#8a8a8a", weight: 0.8, fillColor: "#f2efe9", fillOpacity: 1}
    }).addTo(map);
    const layer = L.geoJSON(events, {
        pointToLayer: function (feature, latlng) {
            const p = feature.properties;
            return L.circleMarker(latlng, {
                radius: p.radius, fillColor: p.fill, color: p.outline, weight: p.weight,
                fill: true, fillOpacity: p.approximate ? 0.15 : 0.7, opacity: 0.9,
                dashArray: p.approximate ? "3 3" : null
            });
        },
        onEachFeature: function (feature, marker) {
            const p = feature.properties;
            if (p.spread) {
                // Events at one spot: drawn a few pixels apart at every zoom, as on the dashboard.
                const spot = L.latLng(p.lat, p.lng);
                const place = function () {
                    const point = map.project(spot).add(L.point(p.spread[0], p.spread[1]));
                    marker.setLatLng(map.unproject(point));
                };
                marker.on("add", function () { map.on("zoomend", place); place(); });
            }
            marker.bindTooltip(function () {
                const label = document.createElement("div");
                label.textContent = feature.properties.label;
                return label;
            });
        }
    }).addTo(map);
    if (events.features.length) {
        map.fitBounds(layer.getBounds(), {padding: [30, 30], maxZoom: 10});
    } else {
        map.setView([30, 20], 2);
    }
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{leaflet_css}</style>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #222; }}
header, footer {{ padding: 0.6rem 1rem; }}
h1 {{ font-size: 1.3rem; margin: 0 0 0.3rem; }}
header p {{ margin: 0.15rem 0; }}
#map {{ height: 70vh; background: #c9dbe6; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 2rem; padding: 0.6rem 1rem; }}
.legend ul, .summary {{ list-style: none; padding: 0; margin: 0; }}
.legend li {{ display: flex; align-items: center; gap: 0.4rem; margin: 0.2rem 0; }}
.swatch {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; }}
.size {{ display: inline-block; border-radius: 50%; background: #999; }}
.approximate {{ display: inline-block; border-radius: 50%; border: 2px dashed #d62728;
  background: rgba(214, 39, 40, 0.15); box-sizing: border-box; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="filters"><strong>Filters:</strong> {filters}</p>
<p class="counts">{counts}</p>
<ul class="summary">{summary}</ul>
</header>
<div id="map"></div>
<section class="legend" aria-label="Legend">{legend}</section>
<footer><p class="made">Made {made} with Strikemap. Country outlines: Natural Earth.</p></footer>
<script type="application/json" id="events-data">{events_json}</script>
<script type="application/json" id="outlines-data">{outlines_json}</script>
<script>{leaflet_js}</script>
<script>{topojson_js}</script>
<script>{map_js}</script>
</body>
</html>
"""
