# obligraph: the two commands a new machine needs.
#   make demo   set up, then build the bundled corpus into the embedded default store
#   make test   set up (with test tools, Chromium and the SPARQL editor), then run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test setup setup-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	bash scripts/setup-system.sh

demo: setup
	$(BIN)/obligraph build

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n auto

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
