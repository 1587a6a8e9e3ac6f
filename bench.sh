#!/usr/bin/env bash
# The portal's performance figures (see README, "Benchmarks"). Prints them; nothing is asserted.
#   ./bench.sh               every part
#   ./bench.sh startup       migrate run on an empty database, migrate status, start-up to /health 200 (cold and warm)
#   ./bench.sh appointments  the doctor's appointments page for a doctor with 10,000 appointments
#   ./bench.sh fhir          FHIR Observation searches for a patient with 5,000 readings
#   ./bench.sh live          live updates: commit on one instance to the other browser's DOM (50 events), memory per open page
#   ./bench.sh scaleout      the doctor's page through nginx with 1, 2 and 3 instances (PgBouncer, standby), and the replication lag
set -euo pipefail
cd "$(dirname "$0")"
part=${1:-all}

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f ms", (b - a) * 1000 }'; }

startup() {
  dotnet build MediConnect.Portal -c Release -o /tmp/mediconnect-bench-bin >/dev/null
  dir=$(mktemp -d /tmp/mediconnect-bench-XXXX); chmod 755 "$dir"
  local dll=/tmp/mediconnect-bench-bin/MediConnect.Portal.dll port=5790
  export ASPNETCORE_ENVIRONMENT=Development LOCAL_POSTGRES_DIR="$dir/cluster" ASPNETCORE_URLS="http://127.0.0.1:$port"
  export Serilog__MinimumLevel__Default=Warning Serilog__WriteTo__1__Args__path="$dir/portal-.log"
  pid=
  trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"; rm -rf "$dir"' EXIT

  start_portal() { # $1: what to call the measurement
    local t0; t0=$(now)
    dotnet "$dll" >"$dir/portal.out" 2>&1 & pid=$!
    until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
    echo "start-up to /health 200, $1: $(ms "$t0" "$(now)")"
  }
  start_portal "zero-setup cluster created and migrated (cold)"
  kill -TERM "$pid"; wait "$pid" || true
  start_portal "same cluster and data (warm)"

  # migrate on an empty database of the running cluster, through the CLI as an operator runs it
  local pw; pw=$(cat "$dir/cluster/superuser-password")
  local cport; cport=$(sed -n 4p "$dir/cluster/data/postmaster.pid")
  PGPASSWORD=$pw psql -qh 127.0.0.1 -p "$cport" -U postgres -c "CREATE DATABASE bench_empty" postgres
  local t0
  t0=$(now); ConnectionStrings__Postgres="Host=127.0.0.1;Port=$cport;Username=postgres;Password=$pw;Database=bench_empty" \
    dotnet "$dll" migrate run | sed 's/^/    /'
  echo "migrate run on an empty database (whole command): $(ms "$t0" "$(now)")"
  t0=$(now); ConnectionStrings__Postgres="Host=127.0.0.1;Port=$cport;Username=postgres;Password=$pw;Database=bench_empty" \
    dotnet "$dll" migrate status >/dev/null
  echo "migrate status (whole command): $(ms "$t0" "$(now)")"

}

# Runs one benchmark class of the test project and prints what it wrote.
benchmark() { # $1: the class
  local out=${MEDICONNECT_BENCH_OUT:-/tmp/mediconnect-bench.txt}
  rm -f "$out"
  MEDICONNECT_BENCH=1 MEDICONNECT_BENCH_OUT="$out" dotnet test --project MediConnect.Portal.Tests -- --filter-class "*$1" >/dev/null || true
  if [ -f "$out" ]; then cat "$out"; else echo "The benchmark did not run; try: MEDICONNECT_BENCH=1 dotnet test --project MediConnect.Portal.Tests -- --filter-class '*$1'" >&2; exit 1; fi
}

appointments() { benchmark AppointmentListBenchmark; }
fhir() { benchmark ObservationSearchBenchmark; }
live() { MEDICONNECT_BENCH_OUT=/tmp/mediconnect-bench-live.txt benchmark LiveUpdatesBenchmark; }
scaleout() {
  command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: ./test.sh installs it as root (apt-get install wrk)" >&2; exit 1; }
  benchmark ScaleOutBenchmark
}

case "$part" in
  startup) startup ;;
  appointments) appointments ;;
  fhir) fhir ;;
  live) live ;;
  scaleout) scaleout ;;
  all) startup; appointments; fhir; live; scaleout ;;
  *) echo "usage: ./bench.sh [startup|appointments|fhir|live|scaleout]" >&2; exit 2 ;;
esac
