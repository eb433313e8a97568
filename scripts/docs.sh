#!/usr/bin/env bash
# make docs: the dbt docs site, with the ER diagrams on its landing page, in target/.
#
#   1. dbt docs generate against the DuckDB file at $SCORO_DUCKDB_PATH (manifest + catalog);
#   2. scripts/render_erd.py: dbterd reads the relationships tests from those two files and
#      graphviz `dot` draws the ER diagrams (one per staging subject area, the accounting
#      objects, the whole staging layer), each as assets/erd_*.svg and a page to pan and zoom
#      it, assets/erd_*.html, into the site's target/assets/ and into the repository's assets/
#      (committed, so that a plain `dbt docs generate` and the README show them too).
#
# Environment: SCORO_DUCKDB_PATH (default data/scoro.duckdb, on which `dbt build` ran),
# DBT_TARGET_PATH (default target), SCORO_DOCS_COPY_ASSETS=0 to leave assets/ untouched.
# Serve the result with `make serve-docs` (dbt docs serve) or any static HTTP server on target/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"
export SCORO_DUCKDB_PATH="${SCORO_DUCKDB_PATH:-data/scoro.duckdb}"
TARGET="${DBT_TARGET_PATH:-target}"

if [ ! -f "$SCORO_DUCKDB_PATH" ]; then
  echo "docs: no warehouse at $SCORO_DUCKDB_PATH; run \`make demo\` (or sync + dbt build) first" >&2
  exit 1
fi
if ! command -v dot >/dev/null; then
  echo "docs: graphviz \`dot\` is missing; run \`make system-deps\`" >&2
  exit 1
fi

# No usage stats: with them on, the generated page loads a tracking script from the internet.
DBT_SEND_ANONYMOUS_USAGE_STATS=false "$BIN/dbt" docs generate --target-path "$TARGET"

COPY=(--copy-to assets)
if [ "${SCORO_DOCS_COPY_ASSETS:-1}" = 0 ]; then COPY=(); fi
"$BIN/python" scripts/render_erd.py --artifacts "$TARGET" --out "$TARGET/assets" "${COPY[@]}"

echo "docs: site in $TARGET/ (the landing page links the ER diagrams); browse it with"
echo "      make serve-docs    (or: $BIN/dbt docs serve --target-path $TARGET --port 8080)"
