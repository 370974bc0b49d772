#!/usr/bin/env bash
# A local PostgreSQL with PostGIS for Strikemap's database mode, in a folder of the project.
#
#   scripts/db.sh [start]   install what is missing, start the server, create the database;
#                           the last line printed is the URL to give STRIKEMAP_DATABASE_URL
#   scripts/db.sh stop      stop the server (the data stays in the folder)
#   scripts/db.sh url       print the URL only
#
# Debian's postgresql and postgis packages; the server runs with pg_ctl (no system service),
# listens on 127.0.0.1 only, port $STRIKEMAP_PG_PORT (54329), and asks for a password that
# is generated once and kept in the folder. Running it again changes nothing.
# PostgreSQL refuses to run as root: as root the server runs as the "postgres" user the
# Debian package creates, and its folder moves to /tmp when that user cannot reach the project.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${STRIKEMAP_PG_PORT:-54329}"
DB_NAME="${STRIKEMAP_PG_DB:-strikemap}"
DB_USER=strikemap
ACTION="${1:-start}"
# Room for the map's grid counts to hash in memory; JIT costs more than it saves on these
# short queries; a local server feeds no replica, so a bulk load into a table emptied in the
# same transaction writes no WAL. STRIKEMAP_PG_TUNING replaces these settings.
TUNING="${STRIKEMAP_PG_TUNING:--c shared_buffers=1GB -c work_mem=64MB -c jit=off -c wal_level=minimal -c max_wal_senders=0}"
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "db: STRIKEMAP_PG_DB must be lower-case letters, digits and _" >&2; exit 1; }

say() { echo "db: $*" >&2; }
fail() { echo "db: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
	[ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

has_postgis() {
	local bin="$1"
	[ -f "$("$bin/pg_config" --sharedir)/extension/postgis.control" ]
}

install_packages() {
	say "installing Debian's postgresql and postgis (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y -qq postgresql postgis >&2 || {
		as_root apt-get update -qq >&2
		as_root apt-get install -y -qq postgresql postgis >&2
	}
}

ensure_packages() {
	local bin
	bin="$(pg_bin || true)"
	if [ -z "$bin" ] || ! has_postgis "$bin"; then
		install_packages
		bin="$(pg_bin || true)"
	fi
	[ -n "$bin" ] || fail "PostgreSQL's programs are not under /usr/lib/postgresql after installing"
	has_postgis "$bin" || fail "PostGIS is not installed for $("$bin/postgres" --version); run: apt-get install postgis"
	echo "$bin"
}

# Who runs the server, and where its folder is.
SERVER_USER="$(id -un)"
BASE="${STRIKEMAP_PG_DIR:-$ROOT/.cache/pg}"
if [ "$(id -u)" = 0 ]; then
	SERVER_USER=postgres
fi

run_server() { # a command as the server's user
	if [ "$SERVER_USER" = "$(id -un)" ]; then "$@"; else runuser -u "$SERVER_USER" -- "$@"; fi
}

choose_folder() {
	mkdir -p "$BASE"
	if [ "$SERVER_USER" != "$(id -un)" ]; then
		chown "$SERVER_USER" "$BASE"
		if ! run_server test -w "$BASE"; then
			# The project is inside a folder the postgres user may not enter (e.g. /root).
			BASE="/tmp/strikemap-pg-$(echo "$ROOT" | md5sum | cut -c1-8)"
			mkdir -p "$BASE"
			chown "$SERVER_USER" "$BASE"
		fi
	fi
	chmod 700 "$BASE"
}

url() {
	local password
	password="$(cat "$BASE/password")"
	echo "postgresql://$DB_USER:$password@127.0.0.1:$PORT/$DB_NAME"
}

start() {
	local bin
	bin="$(ensure_packages)"
	id "$SERVER_USER" >/dev/null 2>&1 || fail "no user $SERVER_USER to run PostgreSQL as (it comes with Debian's postgresql package)"
	choose_folder
	if [ ! -s "$BASE/password" ]; then
		(umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$BASE/password")
		chown "$SERVER_USER" "$BASE/password"
	fi
	if [ ! -f "$BASE/data/PG_VERSION" ]; then
		say "creating a database cluster in $BASE/data"
		run_server "$bin/initdb" -D "$BASE/data" -U "$DB_USER" --pwfile="$BASE/password" \
			--auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1 ||
			fail "initdb failed; see $BASE/initdb.log"
	fi
	mkdir -p "$BASE/socket"
	chown "$SERVER_USER" "$BASE/socket"
	if ! run_server "$bin/pg_ctl" -D "$BASE/data" status >/dev/null 2>&1; then
		say "starting PostgreSQL on 127.0.0.1:$PORT"
		run_server "$bin/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
			-o "-p $PORT -c listen_addresses=127.0.0.1 -k $BASE/socket $TUNING" start >&2 ||
			fail "the server did not start; see $BASE/server.log (is port $PORT taken? set STRIKEMAP_PG_PORT)"
	fi
	export PGPASSWORD
	PGPASSWORD="$(cat "$BASE/password")"
	local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$DB_USER")
	if [ -z "$("${psql[@]}" -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
		"${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB_NAME\"" >&2
	fi
	"${psql[@]}" -d "$DB_NAME" -c "SET client_min_messages = warning" \
		-c "CREATE EXTENSION IF NOT EXISTS postgis" >&2
	url
}

stop() {
	local bin
	bin="$(pg_bin)" || fail "PostgreSQL is not installed"
	choose_folder
	[ -f "$BASE/data/PG_VERSION" ] || { say "no server in $BASE"; return 0; }
	run_server "$bin/pg_ctl" -D "$BASE/data" -m fast stop >&2 || true
}

case "$ACTION" in
start) start ;;
stop) stop ;;
url) choose_folder && url ;;
*) fail "unknown action $ACTION; use start, stop or url" ;;
esac
