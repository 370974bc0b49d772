"""Hostile text for the abuse tests: each payload, if it ever ran, would set ``window.__pwned``
or fetch from a host that is not this machine."""

from __future__ import annotations

from components.table import schema as s

PAYLOADS: tuple[str, ...] = (
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '<svg onload="window.__pwned = 3"></svg>',
    "${window.__pwned = 4}",
    "`; window.__pwned = 5; `",
    "\\`; window.__pwned = 6; //",
    "</script><script>window.__pwned = 7</script>",
    "javascript:window.__pwned = 8",
    "[click me](javascript:window.__pwned=9)",
    "{{ 7 * 7 }} {% if true %}jinja{% endif %}",
    '"><iframe src="javascript:parent.__pwned = 10"></iframe>',
    '<a href="javascript:window.__pwned = 11">link</a>',
    "![beacon](http://beacon.invalid/pixel.png)",
    ":red[colour] $x^2$ **bold** <b>tag</b> &lt;escaped&gt;",
    "'); window.__pwned = 12; ('",
    "<style>body { display: none }</style>",
)

# Columns whose values are checked against a fixed form (a precision word, a date, a geocoder
# tag) would reject the row; every other text column carries the payload.
HOSTILE_COLUMNS: tuple[str, ...] = tuple(
    c for c in s.TEXT_COLUMNS if c not in (s.DATE_PRECISION, s.GEOCODER, s.SOURCE_DATE)
)


def hostile_rows() -> list[dict[str, str]]:
    """One event per payload, the payload in every text column, each at its own spot."""
    rows = []
    for number, payload in enumerate(PAYLOADS):
        row = {column: f"{payload} #{number}" for column in HOSTILE_COLUMNS}
        row.update(
            {
                s.DATE_START: "2024-05-01",
                s.LATITUDE: f"{30 + number * 0.6:.2f}",
                s.LONGITUDE: f"{35 + (number % 4) * 1.5:.2f}",
                s.KILLED_MIN: "3",
                s.KILLED_MAX: "3",
                # Rough places put the place names into the panel's sentences too.
                s.GEO_PRECISION: str(2 - number % 2),
            }
        )
        rows.append(row)
    return rows
