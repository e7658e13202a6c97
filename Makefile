# Set-up is two commands on a fresh clone: `make site` and `make test`.
# Each bootstraps .venv from the project's own files; nothing is installed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site ingest build test lint typecheck unit browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/newsgen ingest seeds --out articles
	$(BIN)/newsgen build
	@echo
	@echo "The site is in site/, ready for any static host. To preview it with live reload:"
	@echo "  $(BIN)/newsgen serve   # then open http://127.0.0.1:8000/"

build: $(STAMP)
	$(BIN)/newsgen build

ingest: $(STAMP)
	$(BIN)/newsgen ingest seeds --out articles

test: lint typecheck browser unit

# The browser tests need Debian's chromium (never a downloaded browser). Installed only when
# missing, and only as root; otherwise the tests skip with a reason (and fail under CI).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) site build .newsgen-cache .pytest_cache .mypy_cache .ruff_cache
