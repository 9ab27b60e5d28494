# Parvis: `make run` runs it, `make test` passes the whole suite. Nothing else is needed.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export PARVIS_DATA_DIR ?= $(CURDIR)/var

.PHONY: help run test install install-dev frontend messages lint lock system-run-deps system-test-deps demo clean

help:
	@echo "make run    install everything and run Parvis with the demo workspace on http://127.0.0.1:$(PORT)"
	@echo "make test   install everything the suite needs and run the whole suite"
	@echo "make lint   ruff;  make lock   recompile the hash-locked requirements"

$(PY):
	@python=$$(scripts/find-python) && echo "Using $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(PY)
	$(UV) pip sync --quiet --python $(PY) requirements/base.txt
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e . 2>/dev/null || $(UV) pip install --quiet --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.installed-dev; touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(PY)
	$(UV) pip sync --quiet --python $(PY) requirements/dev.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.installed-base; touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend: node_modules/.installed
	@$(PY) -m parvis.web.vendor

messages:
	@$(PY) -m parvis.core.translations

install: $(VENV)/.installed-base frontend messages
install-dev: $(VENV)/.installed-dev frontend messages

# The embedded default: SQLite (WAL), web server + worker in one process group.
run: system-run-deps
	@[ -f $(VENV)/.installed-dev ] || $(MAKE) --no-print-directory $(VENV)/.installed-base
	@$(MAKE) --no-print-directory frontend messages
	PARVIS_DEBUG=true $(VENV)/bin/parvis run --demo --port $(PORT)

# System libraries of the PDF reports (Pango and fonts for WeasyPrint), if root can install them.
system-run-deps:
	@scripts/install-run-deps

# System packages the suite drives: a PostgreSQL server and Debian's Chromium (and Pango).
system-test-deps: system-run-deps
	@scripts/install-test-deps

test: install-dev system-test-deps
	@scripts/run-tests

lint: install-dev
	$(VENV)/bin/ruff check parvis config tests bench
	$(VENV)/bin/ruff format --check parvis config tests bench

lock: | $(PY)
	$(UV) pip compile --quiet --generate-hashes --universal --python-version 3.12 --no-header requirements/base.in -o requirements/base.txt
	$(UV) pip compile --quiet --generate-hashes --universal --python-version 3.12 --no-header requirements/dev.in -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules parvis/web/static/vendor staticfiles
