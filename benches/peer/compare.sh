#!/usr/bin/env bash
# Runs the BL-a model in aspa and in the numpy peer with the same number of
# replications, prints both summaries and the ratio of wall times.
# Usage: benches/peer/compare.sh [REPLICATIONS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-1000000}"

# The peer's own setup: numpy from PyPI in a virtual environment.
if [ ! -x benches/peer/.venv/bin/python ]; then
  python3 -m venv benches/peer/.venv
  benches/peer/.venv/bin/pip install --quiet numpy
fi
cargo build --release --quiet

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
./target/release/aspa run tests/reference/bl-a.yaml --runs "$runs" --out "$out/run" --quiet >/dev/null
end=$(date +%s.%N)
aspa_seconds=$(echo "$end - $start" | bc -l)

echo "aspa ($runs replications, whole run including all output files):"
for day in 1 7 30 60 90; do
  awk -F, -v d="$day" '$1 == d && $4 == "debt" {printf "day %s: mean %.4f p5 %s p50 %s p95 %s\n", d, $10, $5, $7, $9}' "$out/run/daily.csv"
done
printf "seconds %.3f\n\n" "$aspa_seconds"

echo "numpy peer ($runs replications, simulation only):"
peer=$(benches/peer/.venv/bin/python benches/peer/bl_a.py "$runs")
echo "$peer"
peer_seconds=$(echo "$peer" | awk '/^seconds/ {print $2}')
printf "\nnumpy seconds / aspa seconds = %.2f\n" "$(echo "$peer_seconds / $aspa_seconds" | bc -l)"
