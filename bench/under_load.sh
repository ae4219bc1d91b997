#!/usr/bin/env bash
# Run a make target several times in a row while CPU hogs keep every core busy, to show that no
# test depends on the machine's speed. Usage: bench/under_load.sh [RUNS] [TARGET]  (default: 3 test)
# The hogs are plain busy loops, one per core; they are stopped however this script ends.
set -euo pipefail
runs="${1:-3}"
target="${2:-test}"
cores="$(python3 -c 'import os; print(os.cpu_count())')"
hogs=()
stop_hogs() { [ "${#hogs[@]}" -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT INT TERM
for _ in $(seq "$cores"); do
  python3 -c 'while True: pass' &
  hogs+=("$!")
done
echo "== ${cores} busy loops started (pids ${hogs[*]}); make ${target}, ${runs} times in a row =="
for run in $(seq "$runs"); do
  start=$(date +%s)
  make "$target"
  echo "== run ${run} of ${runs}: green in $(( $(date +%s) - start )) s under load =="
done
