# Long soaks live in tests/soak: `make soak` runs them (minutes), `make test` leaves them out.
# Quick start on a fresh machine (Python >= 3.11 and make):
#   make demo   # bulk pull against the bundled mock server
#   make test   # every test, on the pinned and on the newest aiohttp
PYTHON ?= python3
VENV := .venv
VENV_LATEST := .venv-latest
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: help venv demo test test-pinned test-latest lint typecheck fmt bench soak clean

help:
	@echo "make demo | test | lint | bench | soak | clean"

# The environments are (re)built when pyproject.toml changes; the stamp file records success.
$(VENV)/.stamp: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "zenoti-async needs Python >= 3.11 (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . --group dev
	@touch $@

# Second environment: the newest aiohttp release, without aioresponses (which cannot run on
# aiohttp >= 3.14). It runs every test except tests/mocked/ (the aioresponses ones), proving
# the library itself works on the newest aiohttp.
$(VENV_LATEST)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV_LATEST)
	$(VENV_LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_LATEST)/bin/python -m pip install --quiet --upgrade -e . --group test-core aiohttp
	@touch $@

venv: $(VENV)/.stamp

demo: $(VENV)/.stamp
	$(BIN)/zenoti-async demo

# Both environments always run and report, even when the first one fails; the target fails if
# either does (a plain prerequisite list would stop at the first failure and hide the second).
test: $(VENV)/.stamp $(VENV_LATEST)/.stamp
	@pinned=0; latest=0; \
	$(MAKE) --no-print-directory test-pinned || pinned=$$?; \
	$(MAKE) --no-print-directory test-latest || latest=$$?; \
	echo "make test: pinned aiohttp run $$( [ $$pinned -eq 0 ] && echo passed || echo FAILED ), newest aiohttp run $$( [ $$latest -eq 0 ] && echo passed || echo FAILED )"; \
	[ $$pinned -eq 0 ] && [ $$latest -eq 0 ]

test-pinned: $(VENV)/.stamp
	$(BIN)/python -m pytest --ignore=tests/soak $(PYTEST_ARGS)

test-latest: $(VENV_LATEST)/.stamp
	@$(VENV_LATEST)/bin/python -c 'import aiohttp; print("newest-aiohttp run: aiohttp", aiohttp.__version__)'
	$(VENV_LATEST)/bin/python -m pytest --ignore=tests/mocked --ignore=tests/soak -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(VENV)/.stamp
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.stamp
	$(BIN)/python -m pip install --quiet --group bench
	$(BIN)/python -m benchmarks

soak: $(VENV)/.stamp
	$(BIN)/python -m pytest -p no:cacheprovider --timeout 1800 -s tests/soak

clean:
	rm -rf $(VENV) $(VENV_LATEST) .mypy_cache .ruff_cache .pytest_cache .hypothesis
