"""The database's tables: events, sources, places by hand, learned places, geocode answers and
the change log. ``CREATE`` statements only; they run once per database (``db init``)."""

from __future__ import annotations

from components.table import schema as s

__all__ = ["COUNT_COLUMNS", "DDL", "EVENT_TEXT_COLUMNS", "SCHEMA_VERSION", "SOURCE_TEXT_COLUMNS"]

SCHEMA_VERSION = 1

EVENT_TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in s.TEXT_COLUMNS if c not in (s.EVENT_ID, s.DATE_PRECISION)
)
COUNT_COLUMNS: tuple[str, ...] = s.COUNT_COLUMNS
SOURCE_TEXT_COLUMNS: tuple[str, ...] = (
    s.SOURCE_NAME,
    s.SOURCE_URL,
    s.SOURCE_DATE,
    s.SOURCE_LANGUAGE,
    s.SOURCE_TEXT,
    s.NOTES,
)

_TEXT = ",\n".join(f"    {c} text NOT NULL DEFAULT ''" for c in EVENT_TEXT_COLUMNS)
_COUNTS = ",\n".join(f"    {c} bigint" for c in COUNT_COLUMNS)
_SOURCE_TEXT = ",\n".join(f"    {c} text NOT NULL DEFAULT ''" for c in SOURCE_TEXT_COLUMNS)

# Columns named after the canonical table hold the values as written in the file (what
# ``db dump`` gives back); the ``shown_*`` and ``place_*`` columns are what the page shows:
# figures spanning every source, the derived confidence, and the point the event is drawn
# at (its own coordinates, else where the geocoder or a hand placed it).
DDL = f"""
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS strikemap_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE IF NOT EXISTS changes (
    change_id bigserial PRIMARY KEY,
    event_id text,
    action text NOT NULL,
    who text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    detail jsonb NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS changes_event ON changes (event_id, change_id);

CREATE TABLE IF NOT EXISTS events (
    seq bigserial,
    event_id text PRIMARY KEY,
    date_start date NOT NULL,
    date_end date,
    date_precision text NOT NULL,
    date_last date NOT NULL,
    latitude double precision,
    longitude double precision,
    geo_precision smallint,
{_TEXT},
{_COUNTS},
    extra json NOT NULL DEFAULT '{{}}',
    place_latitude double precision,
    place_longitude double precision,
    place_precision smallint,
    place_geocoder text NOT NULL DEFAULT '',
    matched_name text NOT NULL DEFAULT '',
    location_key text NOT NULL DEFAULT '',
    country_code text NOT NULL DEFAULT '',
    shown_killed_min bigint,
    shown_killed_max bigint,
    shown_injured_min bigint,
    shown_injured_max bigint,
    shown_confidence text NOT NULL DEFAULT '',
    source_count integer NOT NULL DEFAULT 0,
    lowest_killed bigint,
    revision integer NOT NULL DEFAULT 1,
    created_change bigint REFERENCES changes (change_id)
);
CREATE INDEX IF NOT EXISTS events_seq ON events (seq);
CREATE INDEX IF NOT EXISTS events_unplaced ON events (location_key, country_code)
    WHERE latitude IS NULL;

-- What the filters and the map read, one narrow row per event (a copy of the events' columns
-- they need), so that a view of ten million events scans a tenth of the bytes. ``mx`` and
-- ``my`` are the point in Web Mercator world units (0 to 1), as the map's grid counts them.
CREATE TABLE IF NOT EXISTS event_points (
    event_id text PRIMARY KEY,
    date_start date NOT NULL,
    date_last date NOT NULL,
    date_precision text NOT NULL,
    event_type text NOT NULL,
    actor1 text NOT NULL,
    actor2 text NOT NULL,
    shown_killed_min bigint,
    shown_killed_max bigint,
    shown_injured_min bigint,
    shown_injured_max bigint,
    shown_confidence text NOT NULL,
    place_precision smallint,
    lowest_killed bigint,
    latitude double precision,
    longitude double precision,
    mx double precision,
    my double precision,
    place geometry(Point, 4326) GENERATED ALWAYS AS (
        ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED
);
CREATE INDEX IF NOT EXISTS points_start ON event_points (date_start);
CREATE INDEX IF NOT EXISTS points_last ON event_points (date_last);
CREATE INDEX IF NOT EXISTS points_type ON event_points (event_type);
CREATE INDEX IF NOT EXISTS points_actor1 ON event_points (actor1);
CREATE INDEX IF NOT EXISTS points_actor2 ON event_points (actor2);
CREATE INDEX IF NOT EXISTS points_place ON event_points USING gist (place);

CREATE TABLE IF NOT EXISTS sources (
    seq bigserial PRIMARY KEY,
    event_id text NOT NULL,
{_SOURCE_TEXT},
    killed_min bigint,
    killed_max bigint,
    injured_min bigint,
    injured_max bigint,
    extra json NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS sources_event ON sources (event_id, seq);

CREATE TABLE IF NOT EXISTS places (
    seq bigserial,
    name_key text NOT NULL,
    country_key text NOT NULL,
    name text NOT NULL,
    country text NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    geo_precision smallint NOT NULL,
    note text NOT NULL DEFAULT '',
    place geometry(Point, 4326) NOT NULL,
    learned boolean NOT NULL DEFAULT false,
    PRIMARY KEY (name_key, country_key, learned)
);

-- The key is the geocode cache's own (provider, query, country, ...) as a JSON array, so the
-- table follows whatever the cache keys answers by.
CREATE TABLE IF NOT EXISTS geocode_answers (
    key text PRIMARY KEY,
    found boolean NOT NULL,
    latitude double precision,
    longitude double precision,
    geocoder text,
    matched_name text,
    geo_precision smallint
);

INSERT INTO strikemap_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')
    ON CONFLICT (key) DO NOTHING;
"""
