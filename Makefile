# Closeknit — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test test-sqlite test-postgres lint bench demo clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Closeknit needs Python 3.11 ($(PYTHON) not found)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/closeknit serve --host $(HOST) --port $(PORT)

# Sends reminders; run it beside `make run` (after it has prepared the database).
worker: $(VENV)/.installed
	$(BIN)/closeknit worker

# The whole suite on SQLite, then again on PostgreSQL when one answers
# (DATABASE_URL, or a server on 127.0.0.1:5432). Browser tests run when Chromium is installed.
test: $(VENV)/.installed-dev
	$(BIN)/python tools/run_tests.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
