#!/usr/bin/env bash
# Measures the doctor's appointments page for a doctor with 10,000 appointments (see README, "Benchmarks").
# Prints the figures; nothing is asserted. Uses the same throwaway PostgreSQL as the tests.
set -euo pipefail
cd "$(dirname "$0")"
out=${MEDICONNECT_BENCH_OUT:-/tmp/mediconnect-bench.txt}
rm -f "$out"
MEDICONNECT_BENCH=1 MEDICONNECT_BENCH_OUT="$out" dotnet test --project MediConnect.Portal.Tests -- --filter-class "*AppointmentListBenchmark" >/dev/null || true
if [ -f "$out" ]; then cat "$out"; else echo "The benchmark did not run; try: MEDICONNECT_BENCH=1 dotnet test --project MediConnect.Portal.Tests -- --filter-class '*AppointmentListBenchmark'" >&2; exit 1; fi
