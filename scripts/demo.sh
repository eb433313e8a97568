#!/usr/bin/env bash
# make demo: start the simulator, sync it into DuckDB, build the models, generate the docs site.
#
# Prints one line per step and a summary (scripts/demo_summary.py): rows per Scoro module,
# requests, dbt test results, where the docs are, three queries to try. Everything the steps
# print goes to the log file (logs/demo.log, or $SCORO_DEMO_LOG); the simulator's own output
# to logs/simulator.log. A failing step prints its last lines and the log's path, and the
# script exits with the step's exit code.
#
# Usage: demo.sh [PORT] [SCALE]; the file is $SCORO_DUCKDB_PATH (default data/scoro.duckdb).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8765}"
SCALE="${2:-1}"
BIN=.venv/bin
DB="${SCORO_DUCKDB_PATH:-data/scoro.duckdb}"
LOG="${SCORO_DEMO_LOG:-logs/demo.log}"
SIM_LOG="$(dirname "$LOG")/simulator.log"
TENANT=demo-agency
TAIL_LINES=30
export DBT_PROFILES_DIR="$PWD" SCORO_DUCKDB_PATH="$DB"
# The log is for reading: no colour codes, no usage stats (they would fetch from outside).
export DBT_USE_COLORS=false DBT_SEND_ANONYMOUS_USAGE_STATS=false
mkdir -p "$(dirname "$DB")" "$(dirname "$LOG")" target
: > "$LOG"
STEPS=4
STEP=0

# On a terminal, the step's line shows how far it is, from the last progress count its
# output printed (dbt's "312 of 744", dlt's "Resources: 17/21").
show_progress() {
  local first_line=$1 prefix=$2 started=$3 progress
  while sleep 1; do
    progress=$(tail -n "+$first_line" "$LOG" |
      grep -oE '[0-9]+ of [0-9]+ |(Resources|Jobs): [0-9]+/[0-9]+' | tail -n 1) || true
    printf '\r\033[K%s ... %s%s s' "$prefix" "${progress:+$progress, }" "$((SECONDS - started))"
  done
}

# run_step "<what>" command...: one line on the terminal, the command's output in the log.
# On failure: the step's last lines, the log's path, and exit with the command's code.
run_step() {
  local what=$1
  shift
  STEP=$((STEP + 1))
  local prefix="[$STEP/$STEPS] $what" first_line started code=0 progress_pid=""
  printf '\n==== %s: %s\n' "$prefix" "$*" >> "$LOG"
  first_line=$(($(wc -l < "$LOG") + 1))
  started=$SECONDS
  printf '%s ... ' "$prefix"
  if [ -t 1 ]; then
    show_progress "$first_line" "$prefix" "$started" &
    progress_pid=$!
  fi
  "$@" >> "$LOG" 2>&1 || code=$?
  if [ -n "$progress_pid" ]; then
    kill "$progress_pid" 2>/dev/null || true
    wait "$progress_pid" 2>/dev/null || true
    printf '\r\033[K%s ... ' "$prefix"
  fi
  if [ "$code" = 0 ]; then
    echo "done ($((SECONDS - started)) s)"
    STEP_OUTPUT=$(tail -n "+$first_line" "$LOG")
    return 0
  fi
  echo "FAILED (exit code $code, after $((SECONDS - started)) s)"
  echo
  echo "Last lines of this step:"
  tail -n "+$first_line" "$LOG" | tail -n "$TAIL_LINES" | sed 's/^/  | /'
  echo
  echo "Full log: $LOG"
  exit "$code"
}

port_open() {
  "$BIN/python" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null
}

start_simulator() {
  if port_open; then
    echo "port $PORT is already in use (another simulator or server?): run \`make demo PORT=<free port>\`"
    return 1
  fi
  "$BIN/scoro-warehouse" simulate --port "$PORT" --scale "$SCALE" > "$SIM_LOG" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 150); do
    if port_open; then
      echo "simulator up on http://127.0.0.1:$PORT (pid $SIM_PID, its log: $SIM_LOG)"
      return 0
    fi
    if ! kill -0 "$SIM_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "the simulator did not start; its log ($SIM_LOG):"
  cat "$SIM_LOG"
  return 1
}

SIM_PID=""
trap 'if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; fi' EXIT

echo "Scoro warehouse demo: simulated Scoro API -> DuckDB ($DB) -> dbt build -> docs site"
echo "Full log: $LOG"
run_step "Start the Scoro API simulator on port $PORT (scale $SCALE)" start_simulator

# The key in the environment, not on the command line the log records.
export SOURCES__SCORO__API_KEY=demo-api-key
run_step "Sync tenant $TENANT into $DB" \
  "$BIN/scoro-warehouse" sync --base-url "http://127.0.0.1:$PORT" \
  --company-account-id "$TENANT" --duckdb "$DB" --site-timezone Europe/Tallinn \
  --max-requests-per-second 45
unset SOURCES__SCORO__API_KEY
SYNC_OUTPUT="$STEP_OUTPUT"
kill "$SIM_PID" 2>/dev/null || true
SIM_PID=""

run_step "Build the models and run the tests (dbt build)" "$BIN/dbt" build
# docs generate writes its own run_results.json: keep the build's.
cp target/run_results.json "$(dirname "$LOG")/dbt_build_run_results.json"

run_step "Generate the docs site and ER diagrams" bash scripts/docs.sh

SYNC_FILE="$(dirname "$LOG")/sync_summary.txt"
printf '%s\n' "$SYNC_OUTPUT" > "$SYNC_FILE"
"$BIN/python" scripts/demo_summary.py --sync-output "$SYNC_FILE" \
  --run-results "$(dirname "$LOG")/dbt_build_run_results.json" \
  --duckdb "$DB" --docs target --log "$LOG"
