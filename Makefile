# Every target installs what it needs itself; a fresh clone needs only python3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8765
SCALE ?= 1
export SCORO_DUCKDB_PATH ?= data/scoro.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
DEMO_KEY := demo-api-key
DEMO_TENANT := demo-agency

.PHONY: setup system-deps warehouse-deps demo sync simulate build docs test test-warehouses lint bench clean

$(BIN)/scoro-warehouse: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(BIN)/scoro-warehouse

# Debian packages for the docs diagrams (graphviz) and the browser test (chromium).
system-deps:
	@if ! command -v dot >/dev/null || ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz chromium >/dev/null; \
	fi

# The warehouse extras (dbt-postgres, dbt-spark with pyspark, dlt's postgres extra), pinned.
$(VENV)/.warehouses: $(BIN)/scoro-warehouse pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,postgres,spark]'
	touch $@

# Debian's Postgres server binaries (the tests start a throwaway cluster on a port of their own;
# Debian's default cluster is neither used nor needed) and Java 17+ for pyspark.
warehouse-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			postgresql openjdk-17-jre-headless >/dev/null; \
	fi

# The same models on DuckDB, Postgres and Spark, compared to the cent (tests/warehouses/).
test-warehouses: setup warehouse-deps $(VENV)/.warehouses
	$(BIN)/pytest tests/warehouses -p no:cacheprovider

demo: setup system-deps
	bash scripts/demo.sh $(PORT) $(SCALE)

simulate: setup
	$(BIN)/scoro-warehouse simulate --port $(PORT) --scale $(SCALE)

build: setup
	$(BIN)/dbt build

docs: setup system-deps
	bash scripts/docs.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_portability.py
	$(BIN)/sqlfluff lint --processes 2 models tests macros

test: setup system-deps lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf target logs data .pytest_cache
