#!/usr/bin/env bash
# make demo: start the simulator, sync it into DuckDB, build the models, generate the docs site.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8765}"
SCALE="${2:-1}"
BIN=.venv/bin
DB="${SCORO_DUCKDB_PATH:-data/scoro.duckdb}"
export DBT_PROFILES_DIR="$PWD" SCORO_DUCKDB_PATH="$DB"
mkdir -p "$(dirname "$DB")" target

"$BIN/scoro-warehouse" simulate --port "$PORT" --scale "$SCALE" > target/simulator.log 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null; then break; fi
  sleep 0.2
done

echo "== sync (simulator on port $PORT, scale $SCALE) into $DB"
start=$(date +%s)
SOURCES__SCORO__API_KEY=demo-api-key "$BIN/scoro-warehouse" sync \
  --base-url "http://127.0.0.1:$PORT" --company-account-id demo-agency \
  --duckdb "$DB" --site-timezone Europe/Tallinn --max-requests-per-second 45
echo "   sync took $(( $(date +%s) - start )) s"

echo "== dbt build"
start=$(date +%s)
"$BIN/dbt" build
echo "   dbt build took $(( $(date +%s) - start )) s"

echo "== docs"
bash scripts/docs.sh
echo "Done. Query $DB with duckdb, or browse the docs: $BIN/dbt docs serve --port 8080"
