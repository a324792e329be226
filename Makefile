# Two commands: `make run` (set up, then serve the coach offline) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean browser postgres

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	@$(BIN)/python -m compileall -q coach ui >/dev/null  # bytecode, even under PYTHONDONTWRITEBYTECODE
	$(BIN)/coach index
	$(BIN)/coach serve

# The browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium to run the browser tests (skipped without it)"; fi; }

# The store's tests start a throwaway PostgreSQL cluster (initdb + pg_ctl) from Debian's package.
postgres:
	@ls /usr/local/bin/initdb /usr/lib/postgresql/*/bin/initdb 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "note: install Debian's postgresql to run the PostgreSQL tests (skipped without it)"; fi; }

test: $(VENV)/.installed browser postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/core.py --split holdout
	$(BIN)/python benchmarks/check.py
	$(BIN)/python benchmarks/serve.py --runs 5
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/browser.py
	$(BIN)/python benchmarks/scale.py --sizes 0,200
	$(BIN)/python benchmarks/lti.py --learners 20

clean:
	rm -rf $(VENV) .pytest_cache
