"""Hostile text for the abuse tests: each payload, if it ever ran, would set ``window.__pwned``
or fetch from a host that is not this machine."""

from __future__ import annotations

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
