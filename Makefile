# The entry points the README names: `make run`, `make test`, `make bench`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
MANAGE := $(BIN)/python manage.py
STATIC_BUILD := build/static
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run test lint typecheck pytest bench setup frontend browser clean

setup: $(STAMPS)/venv $(STAMPS)/frontend

$(STAMPS)/venv: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

# GOV.UK Frontend from the npm registry, built with Arial (no GDS Transport font, no crown).
# The CSS refers to its images under /static/govuk/assets/ (`$govuk-assets-path` in
# frontend/app.scss), so they are copied there; with Arial it refers to no fonts. The
# Makefile is a prerequisite so that a change to these steps rebuilds existing checkouts.
$(STAMPS)/frontend: package.json package-lock.json frontend/app.scss Makefile
	npm ci --no-audit --no-fund --loglevel=error
	@rm -rf $(STATIC_BUILD)/govuk/assets
	@mkdir -p $(STATIC_BUILD)/caseaudit $(STATIC_BUILD)/govuk/assets
	node_modules/.bin/sass --quiet --no-source-map --load-path=node_modules --style=compressed \
		frontend/app.scss $(STATIC_BUILD)/caseaudit/app.css
	cp $(GOVUK)/govuk-frontend.min.js $(STATIC_BUILD)/govuk/govuk-frontend.min.js
	cp -R $(GOVUK)/assets/images $(STATIC_BUILD)/govuk/assets/images
	@if grep -q 'govuk/assets/fonts/' $(STATIC_BUILD)/caseaudit/app.css; then \
		echo "app.css refers to GOV.UK's fonts: build it with Arial (frontend/app.scss)" >&2; exit 1; fi
	@mkdir -p $(STAMPS) && touch $@

frontend: $(STAMPS)/frontend

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_templates
	$(MANAGE) load_demo --if-empty
	$(MANAGE) demo_signins
	@# The worker (scheduled jobs: mail every minute, reminders daily; docs/scheduled-jobs.md)
	@# runs beside the server and is stopped when the server stops (Ctrl-C included).
	@$(MANAGE) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 0' INT; trap 'exit 143' TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# Debian's Chromium for the browser journeys; installed when we can (root + apt-get).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	else \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! /usr/bin/chromium is missing and cannot be installed here:        !!!"; \
		echo "!!! the browser journeys (tests/system) will be SKIPPED.              !!!"; \
		echo "!!! Install Debian's chromium package to run them.                    !!!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_scoped_queries.py
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

pytest: setup browser
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STAMPS) node_modules build var
