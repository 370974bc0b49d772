"""The map's grid counts kept ready: events summed by grid cell, month and the columns the
common filters touch, so a world or continent view reads thousands of rows, not millions.

``event_cells`` holds, at each level of LEVELS (a grid of ``2 ** (level + 2)`` cells across
the Web Mercator world, the map's 64-pixel cells at that zoom), one row per cell, month the
event starts, month it ends, type, "approximate" flag, "no figure" flag and confidence grade:
the count, the killed total, the events without a killed figure, the sums of the points'
latitudes and longitudes and their extent. Writes keep it current in their
own transaction (:func:`touch` the events, change them, :func:`recompute`); bulk loads
:func:`rebuild` it.

Views read them through :mod:`components.storage.cells_read`.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql

__all__ = ["LEVELS", "MEASURES", "across", "ready", "rebuild", "recompute", "touch"]

# Zoom levels kept ready: the coarsest level at least as fine as the asked cell is read.
LEVELS: tuple[int, ...] = (3, 4, 6)
_LAYOUT = "3"  # the table's layout: 2 = one partition per level, 3 = without first_id
_LOCK = 0x5354_524C  # advisory lock key "STRL", held while summary rows are recomputed

# One row's dimensions, computed from event_points in SQL (the one definition of each key).
_KEYS = """floor(mx * {n})::integer, floor(my * {n})::integer,
    date_trunc('month', date_start)::date, date_trunc('month', date_last)::date,
    event_type,
    (COALESCE(place_precision, 0) >= 3 OR date_precision IN ('month', 'year')),
    (shown_killed_min IS NULL AND shown_killed_max IS NULL
        AND shown_injured_min IS NULL AND shown_injured_max IS NULL),
    btrim(shown_confidence)"""
MEASURES = """count(*), COALESCE(sum(lowest_killed), 0),
    count(*) FILTER (WHERE lowest_killed IS NULL), sum(latitude), sum(longitude),
    min(latitude), min(longitude), max(latitude), max(longitude)"""
_COLUMNS = """level, cx, cy, start_month, last_month, event_type, inexact, no_figures,
    confidence, events, killed, unknown, lat_sum, lng_sum, south, west, north, east"""


def across(level: int) -> int:
    """Cells across the world at ``level`` (the map's 64-pixel cells at that zoom)."""
    return 2 ** (level + 2)


def _aggregate(level: int, where: str) -> sql.Composed:
    """INSERT of the summary rows of ``level`` for the placed events passing ``where``."""
    keys = _KEYS.format(n=across(level))
    text = (
        f"INSERT INTO event_cells ({_COLUMNS}) SELECT {level}, {keys}, {MEASURES} "
        f"FROM event_points WHERE place IS NOT NULL AND ({where}) "
        "GROUP BY 2, 3, 4, 5, 6, 7, 8, 9"
    )
    return sql.SQL(text)  # only this module's fixed text and whole numbers


# One partition per level, so a view reads only its level's rows.
_TABLE = """
DROP TABLE IF EXISTS event_cells;
CREATE TABLE event_cells (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    start_month date NOT NULL,
    last_month date NOT NULL,
    event_type text NOT NULL,
    inexact boolean NOT NULL,
    no_figures boolean NOT NULL,
    confidence text NOT NULL,
    events bigint NOT NULL,
    killed bigint NOT NULL,
    unknown bigint NOT NULL,
    lat_sum double precision NOT NULL,
    lng_sum double precision NOT NULL,
    south double precision NOT NULL,
    west double precision NOT NULL,
    north double precision NOT NULL,
    east double precision NOT NULL,
    PRIMARY KEY (level, start_month, cx, cy, last_month, event_type, inexact, no_figures,
                 confidence)
) PARTITION BY LIST (level);
"""


def rebuild(conn: psycopg.Connection) -> None:
    """Make the table anew and count every row from event_points (after a bulk load, or
    when LEVELS or the table's layout changed)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    conn.execute(_TABLE)
    for level in LEVELS:
        name = sql.Identifier(f"event_cells_{level}")
        conn.execute(
            sql.SQL("CREATE TABLE {} PARTITION OF event_cells FOR VALUES IN ({})").format(
                name, sql.Literal(level)
            )
        )
        conn.execute(_aggregate(level, "TRUE"))
    conn.execute("ANALYZE event_cells")
    conn.execute(
        "INSERT INTO strikemap_meta (key, value) VALUES ('cell_levels', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        (levels_text(),),
    )


def levels_text() -> str:
    """The layout and levels the counts were made for (a change means a rebuild)."""
    return f"{_LAYOUT}:" + ",".join(map(str, LEVELS))


def touch(conn: psycopg.Connection, ids: Sequence[str]) -> None:
    """Note the cells and months of these events as they are now; :func:`recompute` recounts
    them. Call before a change (where they were) and after it (where they are)."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS cells_touched (level smallint, cx integer, "
        "cy integer, start_month date) ON COMMIT DROP"
    )
    for level in LEVELS:
        n = across(level)
        conn.execute(
            "INSERT INTO cells_touched SELECT DISTINCT %s, floor(mx * %s)::integer, "
            "floor(my * %s)::integer, date_trunc('month', date_start)::date FROM event_points "
            "WHERE place IS NOT NULL AND event_id = ANY(%s)",
            (level, n, n, list(ids)),
        )


def recompute(conn: psycopg.Connection) -> None:
    """Recount the summary rows of every touched cell and month, in the caller's transaction.

    Under a lock taken after the events changed: a second writer of the same cells waits,
    then counts with the first one's events committed.
    """
    found = conn.execute("SELECT to_regclass('pg_temp.cells_touched') IS NOT NULL").fetchone()
    if not found[0]:
        return
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    conn.execute(
        "DELETE FROM event_cells AS c USING (SELECT DISTINCT * FROM cells_touched) AS t "
        "WHERE c.level = t.level AND c.cx = t.cx AND c.cy = t.cy "
        "AND c.start_month = t.start_month"
    )
    for level in LEVELS:
        n = across(level)
        months = conn.execute(
            "SELECT min(start_month), max(start_month) FROM cells_touched WHERE level = %s",
            (level,),
        ).fetchone()
        if months[0] is None:
            continue
        # Only the touched months are read (the date index), then only the touched cells.
        where = (
            f"date_start >= '{months[0].isoformat()}'::date "
            f"AND date_start < ('{months[1].isoformat()}'::date + interval '1 month') "
            f"AND (floor(mx * {n})::integer, floor(my * {n})::integer, "
            "date_trunc('month', date_start)::date) IN "
            f"(SELECT cx, cy, start_month FROM cells_touched WHERE level = {level})"
        )
        conn.execute(_aggregate(level, where))
    conn.execute("TRUNCATE cells_touched")


def ready(conn: psycopg.Connection) -> bool:
    """Whether the summary was counted for today's LEVELS (else :func:`rebuild` it)."""
    row = conn.execute("SELECT value FROM strikemap_meta WHERE key = 'cell_levels'").fetchone()
    return row is not None and row[0] == levels_text()
