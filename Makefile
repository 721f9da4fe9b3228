# The portal's commands. `make run` and `make test` set everything up on a fresh machine.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Characters the portal's German and English texts need: Basic Latin, Latin-1 (umlauts, ß, «»),
# Œ/œ, Š/š, Ÿ, Ž/ž, capital ẞ, dashes, quotes „“‚‘, bullets, ellipsis, ‹›, €, ™, arrows, minus.
FONT_UNICODES := U+0020-007E,U+00A0-00FF,U+0152-0153,U+0160-0161,U+0178,U+017D-017E,U+1E9E,U+2010-2027,U+2030-203A,U+20AC,U+2122,U+2190-2193,U+2212
FONT_SOURCE := node_modules/@kern-ux/native/dist/fonts/fira-sans
FONT_WEIGHTS := Regular SemiBold
FONTS := $(foreach weight,$(FONT_WEIGHTS),.assets/fonts/FiraSans-$(weight).woff2)

.PHONY: help setup run serve test lint format messages bench lock demo migrate assets check-browser clean

help:
	@echo "make run       set up, load the demo data and serve the portal at http://$(HOST):$(PORT)"
	@echo "make test      set up, lint and run every test (browser tests need Chromium)"
	@echo "make lint      ruff, Django's system checks and the migrations check"
	@echo "make messages  update and compile the translation catalogues in locale/"
	@echo "make bench     measure the public pages under load on PostgreSQL (bench/report.md)"
	@echo "make serve     serve with gunicorn and production settings (needs the variables of .env.example)"
	@echo "make lock      regenerate requirements/constraints.txt after changing pyproject.toml"

# --- set-up ---------------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

# No install scripts: the only one, vnu-jar's, would download a Java runtime from GitHub when the
# machine has none; the HTML test asks for the system's Java instead (.ci/run installs it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Only the weights we use, subset: KERN's full files are about 130 KB each.
.assets/fonts/FiraSans-%.woff2: node_modules/.package-lock.json $(VENV)/.installed
	@mkdir -p .assets/fonts
	$(BIN)/pyftsubset $(FONT_SOURCE)/FiraSans-$*.woff2 --unicodes="$(FONT_UNICODES)" \
		--layout-features="kern,liga,calt,case,lnum,tnum" --flavor=woff2 --output-file=$@

assets: $(FONTS)

setup: $(VENV)/.installed node_modules/.package-lock.json assets

migrate: setup
	DEBUG=1 $(MANAGE) migrate --noinput

demo: migrate
	DEBUG=1 $(MANAGE) load_demo
	DEBUG=1 $(MANAGE) inspect_documents

# --- the two commands of the README ---------------------------------------------------------
# The task worker, which sends every e-mail (quartier/tasks.py), runs beside the development
# server and stops with it; the console e-mail backend prints the e-mails here. Without its
# reloader, so that it is one process the trap stops.
run: demo
	DEBUG=1 $(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# Tests run in parallel, one process per core (pytest-xdist); a file's tests stay together, so
# that data a module builds once (the demo, the query-count measurements, the HTML check) is
# built in one process only. Test by test (--dist load/loadgroup) balanced no better here.
TEST_WORKERS ?= auto

test: setup lint check-browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# --- the rest -------------------------------------------------------------------------------
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) check --fail-level WARNING
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-browser:
	@$(BIN)/python -m tests.browser.chromium

messages: setup
	DEBUG=1 $(MANAGE) makemessages --locale de --locale en --no-obsolete --ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*"
	DEBUG=1 $(MANAGE) compilemessages --ignore ".venv/*" --ignore "node_modules/*"

# One app server with production settings (README, "Production"): gunicorn.conf.py reads
# GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_THREADS and the timeouts from the environment.
# With several app servers, run `migrate` once per release from one of them, not from each.
serve: setup
	$(MANAGE) collectstatic --noinput
	$(MANAGE) migrate --noinput
	$(BIN)/gunicorn --config gunicorn.conf.py

# The public pages under load on PostgreSQL, as production serves them (bench/run.py, about
# 14 minutes; not part of `make test`). It drops and recreates the databases BENCH_DATABASE_URL
# with _small and _large appended (default postgres://postgres@127.0.0.1:5432/quartier_bench)
# and writes bench/report.md.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--seconds 2 --sizes small".
bench: setup
	@command -v wrk >/dev/null || apt-get install -y wrk || (apt-get update && apt-get install -y wrk) \
		|| { echo "make bench needs wrk, the load generator: install Debian's package wrk as root."; exit 1; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[dev]"
	( echo "# Generated by 'make lock' from pyproject.toml; do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^quartier-portal' ) > requirements/constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules .assets staticfiles
