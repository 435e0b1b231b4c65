# The README's two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt

.PHONY: install install-test demo test benchmarks neo4j

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(PIP) --editable .

install-test: $(BIN)/python
	$(PIP) --editable '.[test]'

demo: install
	$(BIN)/telarana demo

test: install-test
	$(BIN)/python -m pytest

benchmarks: install-test
	$(BIN)/python -m benchmarks.store_write
	$(BIN)/python -m benchmarks.store_query

neo4j: install
	$(BIN)/telarana neo4j
