# Every target installs what it needs itself; a fresh clone needs only python3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8765
DOCS_PORT ?= 8080
SCALE ?= 1
export SCORO_DUCKDB_PATH ?= data/scoro.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
DEMO_KEY := demo-api-key
DEMO_TENANT := demo-agency

.PHONY: setup setup-warehouses system-deps warehouse-deps demo sync simulate build docs serve-docs test test-warehouses lint bench clean

# pip's output goes to logs/setup.log; on failure its last lines are shown.
$(BIN)/scoro-warehouse: pyproject.toml constraints.txt
	@echo "setup: installing the pinned versions into $(VENV) (pip's output: logs/setup.log)"
	@mkdir -p logs
	@{ $(PYTHON) -m venv $(VENV) \
		&& $(BIN)/pip install --quiet --upgrade pip \
		&& $(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'; } > logs/setup.log 2>&1 \
		|| { tail -n 30 logs/setup.log; echo "setup failed: full log in logs/setup.log" >&2; exit 1; }
	@touch $@

setup: $(BIN)/scoro-warehouse

# Debian packages for the docs diagrams (graphviz) and the browser test (chromium).
system-deps:
	@if ! command -v dot >/dev/null || ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz chromium >/dev/null; \
	fi

# The warehouse extras (dbt-postgres, dbt-spark with pyspark, dlt's postgres extra), pinned;
# pip's output goes to logs/setup-warehouses.log.
$(VENV)/.warehouses: $(BIN)/scoro-warehouse pyproject.toml constraints.txt
	@echo "setup: installing the warehouse extras into $(VENV) (pip's output: logs/setup-warehouses.log)"
	@mkdir -p logs
	@$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,postgres,spark]' > logs/setup-warehouses.log 2>&1 \
		|| { tail -n 30 logs/setup-warehouses.log; echo "setup failed: full log in logs/setup-warehouses.log" >&2; exit 1; }
	@touch $@

setup-warehouses: $(VENV)/.warehouses

# Debian's Postgres server binaries (the tests start a throwaway cluster on a port of their own;
# Debian's default cluster is neither used nor needed) and Java 17+ for pyspark.
warehouse-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			postgresql openjdk-17-jre-headless >/dev/null; \
	fi

# The same models on DuckDB, Postgres and Spark, compared to the cent, and the loader's Postgres
# path against the simulator's truth and hostile servers (tests/warehouses/; tables and dbt's
# logs in logs/warehouses/).
test-warehouses: setup warehouse-deps $(VENV)/.warehouses
	$(BIN)/pytest tests/warehouses -p no:cacheprovider

# Quiet: one line per step and a summary; everything else in logs/demo.log.
demo: setup system-deps
	@bash scripts/demo.sh $(PORT) $(SCALE)

simulate: setup
	$(BIN)/scoro-warehouse simulate --port $(PORT) --scale $(SCALE)

build: setup
	$(BIN)/dbt build

docs: setup system-deps
	bash scripts/docs.sh

# The generated site (make docs or make demo) on http://localhost:$(DOCS_PORT); Ctrl+C stops it.
serve-docs: setup
	@if [ ! -f target/index.html ] || [ ! -f target/manifest.json ]; then \
		echo "serve-docs: no docs site in target/: run \`make demo\` (or \`make docs\`) first" >&2; \
		exit 1; \
	fi
	@echo "Docs on http://localhost:$(DOCS_PORT) (Ctrl+C to stop)"
	@DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/dbt docs serve --no-browser --port $(DOCS_PORT) \
		--target-path target

# ruff, the portability check, then sqlfluff; one shell line, so that `make test` can run it
# beside pytest.
LINT = $(BIN)/ruff check . && $(BIN)/ruff format --check . \
	&& $(BIN)/python scripts/check_portability.py \
	&& $(BIN)/sqlfluff lint --processes 2 models tests macros

lint: setup
	$(LINT)

# pytest in PYTEST_WORKERS processes (pytest-xdist; loadgroup hands them the tests one at a time,
# in the order conftest.py gives them, longest first; what several tests share is built once, see
# built_once in tests/python/conftest.py) while lint runs beside it in the background (no
# sub-make); lint's output is kept in logs/lint.log and shown when it fails.
PYTEST_WORKERS ?= auto
test: setup system-deps
	@mkdir -p logs
	@{ $(LINT); } > logs/lint.log 2>&1 & linting=$$!; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup; tested=$$?; \
	wait $$linting; linted=$$?; \
	if [ $$linted -ne 0 ]; then cat logs/lint.log; echo "make test: lint failed" >&2; fi; \
	if [ $$tested -ne 0 ] || [ $$linted -ne 0 ]; then exit 1; fi

# Ratios of the project's speed, measured side by side (scripts/benchmark.py); target/bench.json.
# BENCH_SCALE=925 is the 1,000,000-invoice-line run; BENCH_ARGS passes more flags.
BENCH_SCALE ?= 100
bench: setup
	nice -n 10 $(BIN)/python scripts/benchmark.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

clean:
	rm -rf target logs data .pytest_cache
