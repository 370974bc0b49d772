# Strikemap: `make run` starts the dashboard on data/events.csv, `make test` runs every test.
# Both set up what is missing first: a .venv with the Python packages, the map's files from
# the npm registry, the offline gazetteer index and (for the browser tests) Debian's chromium.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
ASSET_STAMP := static/vendor/.installed
EVENTS ?= data/events.csv
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Set-up's steps run side by side where they can (the base map and the gazetteer take a core
# each for about a minute on a fresh machine); each step's output stays in one piece.
SIDE_BY_SIDE := --no-print-directory --jobs=4 --output-sync=target

.PHONY: setup run test bench lint format chromium gazetteer clean db

setup: $(PY_STAMP) $(ASSET_STAMP) gazetteer chromium

# --no-compile: pip would byte-compile every file of every package (a third of the install's
# time); Python compiles the modules it imports, once, when it first imports them.
$(PY_STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile --upgrade pip
	$(PY) -m pip install --quiet --no-compile -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-compile --no-deps -e .
	touch $@

$(ASSET_STAMP): package.json package-lock.json components/map/basemap_build.py $(PY_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m components assets
	touch $@

gazetteer: $(PY_STAMP)
	$(PY) -m components gazetteer

# The browser tests drive Debian's headless shell when it is there: the same Chromium without
# the browser's own interface, about a fifth less CPU per page (the benchmark keeps chromium).
chromium:
	@{ command -v chromium && command -v chromium-headless-shell; } >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium and its headless shell for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-headless-shell; }

run:
	@$(MAKE) $(SIDE_BY_SIDE) $(PY_STAMP) $(ASSET_STAMP) gazetteer
	$(PY) -m components serve --port $(PORT) --events $(EVENTS)

lint: $(PY_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(PY_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The tests run on every core (at most 4 workers); a browser module's tests stay together on
# one worker, with their dashboard, and the longest units start first (tests/scheduling.py).
# Chromium first and alone: the base map's build may call apt-get too, and apt runs one at a time.
test:
	@$(MAKE) --no-print-directory chromium
	@$(MAKE) $(SIDE_BY_SIDE) setup lint
	$(PY) -m pytest -n auto --durations=20

# Database mode (optional): installs Debian's postgresql and postgis if missing, starts a local
# server in .cache/pg on 127.0.0.1:54329 and prints STRIKEMAP_DATABASE_URL as its last line.
db:
	@scripts/db.sh start

# By hand, not in CI: generates synthetic events (up to a million; ten million for the engine)
# and prints the README's tables: functions, the page in Chromium, the DuckDB engine.
bench: $(PY_STAMP) $(ASSET_STAMP) gazetteer
	$(PY) -m components bench --browser --engine

clean:
	rm -rf $(VENV) node_modules static/vendor .cache .pytest_cache .ruff_cache
