#!/usr/bin/env bash
# The portal at clinic-chain scale (docs/benchmarks.md). Prints figures; nothing is asserted.
#
#   ./bench.sh seed [--scale S]   (re)create the scale-S data set (default 0.01; 1 = 200 doctors,
#                                 100k patients, 1M appointments, 5M readings, 2M audit rows)
#   ./bench.sh all [options]      seed the scales that are missing, measure everything,
#                                 print one table (min / median / max over the runs)
#   ./bench.sh pages|http|memory|startup [options]   one part of `all`
#   ./bench.sh fhir               FHIR Observation searches for a patient with 5,000 readings (issue 12)
#   ./bench.sh live               live updates: commit on one instance to the other browser's DOM (50 events),
#                                 memory per open page (issue 10)
#   ./bench.sh scaleout           the doctor's page through nginx with 1, 2 and 3 instances
#                                 (PgBouncer, standby), and the replication lag (issue 14)
#   ./bench.sh outbox             email notices per second through a real SMTP server with 3 outbox workers (issue 29)
#   ./bench.sh failover           kill -9 of the Patroni leader: outage window and INSERT latency, synchronous_mode true/false (issue 32)
#   ./bench.sh report             print the table of the last measurements again
#   ./bench.sh stop | clean       stop the benchmark cluster | also delete it and its data
#
# Options: --scales 0.01,1  --runs 3  --seconds 5 (per page and side)  --clients 8
#          --load-minutes 5 (memory under load)  --circuits 50  --pages NAME,NAME
#          --warm-up 30 (seconds of wrk before each wrk measurement: the JIT's second tier in place)
# Everything lives in $MEDICONNECT_BENCH_DIR (default /var/tmp/mediconnect-bench): one throwaway
# PostgreSQL cluster (fsync off) with a database per scale, the Release builds, the results.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
dir=${MEDICONNECT_BENCH_DIR:-/var/tmp/mediconnect-bench}
cluster=$dir/cluster
results=$dir/results
portal_dll=$dir/portal/MediConnect.Portal.dll
harness_dll=$dir/harness/MediConnect.Portal.Benchmarks.dll

command=${1:-all}; shift || true
scale=0.01 scales=0.01,1 runs=3 seconds=5 clients=8 load_minutes=5 circuits=50 pages= warm_up=30
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --load-minutes) load_minutes=$2; shift 2 ;;
    --circuits) circuits=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --warm-up) warm_up=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of bench.sh)" >&2; exit 2 ;;
  esac
done
IFS=, read -r -a scale_list <<<"$scales"
largest=${scale_list[-1]}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
elapsed_ms() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# One measured figure: section, name, unit, value (the report takes min / median / max per name).
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$1" "$2" "$3" "$4" >>"$results/figures.tsv"; }

# --- what the benchmarks need, installed like test.sh installs its tools --------------------------
ensure_tools() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || command -v pgbench >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      log "installing ${missing[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})" >&2; exit 1
    fi
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$pgbin" ] || pgbin=$(dirname "$(command -v pg_ctl)")
}

build() {
  log "publishing the portal and building the benchmark harness (Release)"
  # Published, as an operator runs it: in Production only a publish output serves the static assets.
  dotnet publish MediConnect.Portal -c Release -o "$dir/portal" -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build MediConnect.Portal.Benchmarks -c Release -o "$dir/harness" -nologo -v q -clp:ErrorsOnly >/dev/null
}

# --- the throwaway cluster: as root every server command runs as postgres (initdb refuses root) ---
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_cluster() {
  mkdir -p "$cluster"
  if [ ! -f "$cluster/data/PG_VERSION" ]; then
    rm -rf "$cluster/data"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" "$cluster" && chmod 755 "$dir"
    as_pg "$pgbin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$pgbin/pg_ctl" -D "$cluster/data" status >/dev/null 2>&1; then
    port=55432
    while ss -ltn 2>/dev/null | grep -q ":$port "; do port=$((port + 1)); done
    # Durability off (a throwaway copy); memory as a small dedicated server would have it.
    local options="-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off"
    options+=" -c full_page_writes=off -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min"
    options+=" -c maintenance_work_mem=512MB -c max_connections=200"
    as_pg "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 120 -o "$options" start >/dev/null
  fi
  port=$(sed -n 4p "$cluster/data/postmaster.pid")
}

stop_cluster() {
  [ -f "$cluster/data/PG_VERSION" ] && as_pg "$pgbin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
}

db_name() { echo "scale_${1//./_}"; }
conn() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1;Pooling=true"; }
sql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
seeded() { [ "$(sql -tA -d "$(db_name "$1")" -c "SELECT count(*) FROM bench.shape" 2>/dev/null || true)" = 1 ]; }

seed() { # $1: scale
  local db; db=$(db_name "$1")
  log "seeding scale $1 into database $db (load $(load1))"
  sql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  local t0; t0=$(now)
  migrate "$db"
  sql -d "$db" -v scale="$1" -f MediConnect.Portal.Benchmarks/Seed/scale.sql
  log "scale $1 seeded in $(( $(elapsed_ms "$t0") / 1000 )) s: $(sql -tA -d postgres -c "SELECT pg_size_pretty(pg_database_size('$db'))")"
}

# The demo data is applied on purpose: the scale data takes its password hashes from the demo
# accounts, and the admin pages are measured as the demo admin.
migrate() { # $1: database; applies what the portal's migrations add since it was seeded (new indexes)
  ASPNETCORE_ENVIRONMENT=Production SEED_DEMO_DATA=true ConnectionStrings__Postgres=$(conn "$1") Serilog__WriteTo__1__Args__path="$dir/logs/migrate-.log" \
    dotnet "$portal_dll" migrate run >/dev/null
}

ensure_seeded() {
  for s in "${scale_list[@]}"; do
    if seeded "$s"; then migrate "$(db_name "$s")"; else seed "$s"; fi
  done
}

prepare() { # everything a measurement needs
  ensure_tools
  mkdir -p "$dir" "$results" "$dir/logs"
  [ -f "$portal_dll" ] && [ "${MEDICONNECT_BENCH_NO_BUILD:-}" = 1 ] || build
  start_cluster
  trap 'cleanup' EXIT
}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  stop_cluster
}

harness() { dotnet "$harness_dll" "$@"; }

# --- page queries: pgbench beside the services, per scale ------------------------------------------
measure_pages() {
  log "run $run: page queries at scales $scales ($clients clients, ${seconds} s a side; load $(load1))"
  local databases=; for s in "${scale_list[@]}"; do databases+=${databases:+,}$(db_name "$s"); done
  harness pages --connection "Host=127.0.0.1;Port=$port;Username=postgres" --databases "$databases" --out-dir "$results" \
    --run "$run" --clients "$clients" --seconds "$seconds" --pgbench "$pgbin/pgbench" ${pages:+--pages "$pages"}
}

# --- the portal and the bare endpoint as processes ---------------------------------------------------
free_port() { local p=$1; while ss -ltn 2>/dev/null | grep -q ":$p "; do p=$((p + 1)); done; echo "$p"; }
wait_http() { # $1 url; gives up after 120 s
  local i; for i in $(seq 1 2400); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "no answer from $1" >&2; return 1
}
# The portal as an operator runs it: Production, the scale database configured. The harness signs the
# doctor in with a password only (REQUIRE_2FA_FOR=none): a second factor changes sign-in, not the
# signed-in requests measured here.
portal_env() {
  env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$(conn "$1")" REQUIRE_2FA_FOR=none \
    Serilog__WriteTo__1__Args__path="$dir/logs/portal-.log" "${@:2}"
}
# Started as plain commands (not through a function), so $! is the process itself (its memory is read).
start_portal() { # $1 scale; sets portal_pid and portal_url
  local p; p=$(free_port 5790); portal_url=http://127.0.0.1:$p
  env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$(conn "$(db_name "$1")")" ASPNETCORE_URLS="$portal_url" REQUIRE_2FA_FOR=none \
    Serilog__WriteTo__1__Args__path="$dir/logs/portal-.log" dotnet "$portal_dll" >>"$dir/logs/portal.out" 2>&1 &
  portal_pid=$!; pids+=("$portal_pid")
  wait_http "$portal_url/health"
}
start_bare() { # $1 scale; sets bare_pid and bare_url
  local p; p=$(free_port 5890); bare_url=http://127.0.0.1:$p
  dotnet "$harness_dll" bare --connection "$(conn "$(db_name "$1")")" --urls "$bare_url" >>"$dir/logs/bare.out" 2>&1 &
  bare_pid=$!; pids+=("$bare_pid")
  wait_http "$bare_url/doctor"
}
stop_pid() { kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
doctor_email=doctor0@clinic-chain.example doctor_password='Demo2024!Doctor'

# wrk's summary: req/s, p50 ms, p99 ms (its latencies come as 850.00us, 12.34ms or 1.20s).
wrk_figures() {
  awk '/Requests\/sec:/ { rps = $2 }
       / 50%/ || / 99%/ { v = $2; f = 1; if (v ~ /us$/) f = 0.001; else if (v ~ /ms$/) f = 1; else if (v ~ /s$/) f = 1000
                          sub(/[a-z]+$/, "", v); if ($1 == "50%") p50 = v * f; else p99 = v * f }
       /Non-2xx/ { bad = $NF }
       END { if (bad) { print "wrk: " bad " responses were not 2xx" > "/dev/stderr"; exit 1 } print rps, p50, p99 }'
}

# --- GET /doctor signed in (server render) beside the bare endpoint, with wrk -------------------------
measure_http() {
  log "run $run: wrk on GET /doctor, portal vs bare endpoint, scale $largest (load $(load1))"
  start_portal "$largest"
  local cookie; cookie=$(harness sign-in --url "$portal_url" --email "$doctor_email" --password "$doctor_password")
  local page; page=$(curl -sf -H "Cookie: $cookie" "$portal_url/doctor")
  [[ $page == *'id="today-counts"'* ]] || { echo "GET /doctor signed in did not render the appointments page" >&2; exit 1; }
  # Both sides warm up until the JIT has compiled their hot code again with profile data (tiered
  # compilation): a few seconds leave the portal, which runs far more code than the bare endpoint,
  # measured half in its first, quick tier.
  wrk -t2 -c16 -d"${warm_up}s" -H "Cookie: $cookie" "$portal_url/doctor" >/dev/null
  read -r rps p50 p99 < <(wrk -t2 -c16 -d10s --latency -H "Cookie: $cookie" "$portal_url/doctor" | wrk_figures)
  record http "GET /doctor" "portal req/s" "$rps"; record http "GET /doctor" "portal p50 ms" "$p50"; record http "GET /doctor" "portal p99 ms" "$p99"
  stop_pid "$portal_pid"
  start_bare "$largest"
  wrk -t2 -c16 -d"${warm_up}s" "$bare_url/doctor" >/dev/null
  read -r rps p50 p99 < <(wrk -t2 -c16 -d10s --latency "$bare_url/doctor" | wrk_figures)
  record http "GET /doctor" "bare req/s" "$rps"; record http "GET /doctor" "bare p50 ms" "$p50"; record http "GET /doctor" "bare p99 ms" "$p99"
  stop_pid "$bare_pid"
}

# --- memory: idle, after minutes of load, per open interactive circuit --------------------------------
measure_memory() {
  log "memory: idle, after $load_minutes min of wrk on /doctor, $circuits Chromium circuits (load $(load1))"
  start_bare "$largest"; curl -sf -o /dev/null "$bare_url/doctor"
  record memory "resident memory, idle (served one page)" "bare MB" "$(rss_mb "$bare_pid")"
  stop_pid "$bare_pid"
  start_portal "$largest"
  local cookie; cookie=$(harness sign-in --url "$portal_url" --email "$doctor_email" --password "$doctor_password")
  curl -sf -o /dev/null -H "Cookie: $cookie" "$portal_url/doctor"; sleep 5
  record memory "resident memory, idle (served one page)" "portal MB" "$(rss_mb "$portal_pid")"
  wrk -t2 -c16 -d"$((load_minutes * 60))s" -H "Cookie: $cookie" "$portal_url/doctor" >/dev/null; sleep 5
  record memory "resident memory after $load_minutes min of wrk -c16 on /doctor" "portal MB" "$(rss_mb "$portal_pid")"
  harness circuits --url "$portal_url" --pid "$portal_pid" --count "$circuits" --email "$doctor_email" --password "$doctor_password" \
    | awk -F'\t' '$1 == "per_circuit_kb" { print $2 }' | { read -r kb; record memory "resident memory per open interactive circuit ($circuits Chromium pages on /doctor)" "portal kB" "$kb"; }
  stop_pid "$portal_pid"
}

# --- start-up and the migration CLI, each beside a bare start of the same binary ----------------------
measure_startup() {
  log "run $run: start-up and migrate CLI (load $(load1))"
  sql -d postgres -c "DROP DATABASE IF EXISTS bench_empty" -c "CREATE DATABASE bench_empty"
  local t0 bare
  t0=$(now); portal_env bench_empty dotnet "$portal_dll" migrate --help >/dev/null; bare=$(elapsed_ms "$t0")
  t0=$(now); portal_env bench_empty dotnet "$portal_dll" migrate run >/dev/null
  record startup "migrate run, empty database (whole command)" "portal ms" "$(elapsed_ms "$t0")"
  record startup "migrate run, empty database (whole command)" "bare ms" "$bare"
  t0=$(now); portal_env bench_empty dotnet "$portal_dll" migrate status >/dev/null
  record startup "migrate status (whole command)" "portal ms" "$(elapsed_ms "$t0")"
  record startup "migrate status (whole command)" "bare ms" "$bare"
  t0=$(now); start_portal "$largest"
  record startup "start-up to /health 200 (scale $largest database)" "portal ms" "$(elapsed_ms "$t0")"
  record startup "start-up to /health 200 (scale $largest database)" "bare ms" "$bare"
  stop_pid "$portal_pid"
}

report() { harness report --results "$results"; }

new_results() { rm -rf "$results"; mkdir -p "$results"; run=0; record machine "" "scale of the HTTP and memory figures" "$largest"; }

# --- scale-out through nginx, PgBouncer and a standby (the test fixtures start them) -----------------

# Runs one benchmark class of the test project (skipped there unless MEDICONNECT_BENCH=1) and prints what it wrote.
benchmark() { # $1: the class
  local out=${MEDICONNECT_BENCH_OUT:-/tmp/mediconnect-bench-$1.txt}
  rm -f "$out"
  MEDICONNECT_BENCH=1 MEDICONNECT_BENCH_OUT="$out" dotnet test --project MediConnect.Portal.Tests -- --filter-class "*$1" >/dev/null || true
  if [ -f "$out" ]; then cat "$out"; else echo "The benchmark did not run; try: MEDICONNECT_BENCH=1 dotnet test --project MediConnect.Portal.Tests -- --filter-class '*$1'" >&2; exit 1; fi
}

fhir() { benchmark ObservationSearchBenchmark; }
live() { benchmark LiveUpdatesBenchmark; }
outbox() { benchmark OutboxBenchmark; }
failover() { benchmark FailoverBenchmark; }

scaleout() {
  command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: ./test.sh installs it as root (apt-get install wrk)" >&2; exit 1; }
  benchmark ScaleOutBenchmark
}

case "$command" in
  all)
    prepare; ensure_seeded; new_results
    for run in $(seq 1 "$runs"); do
      record machine "" "load at start of run" "$(load1)"
      measure_startup; measure_pages; measure_http
    done
    measure_memory
    record machine "" "load at end" "$(load1)"
    report
    ;;
  startup|http|memory)
    prepare; ensure_seeded; new_results
    for run in $(seq 1 "$runs"); do record machine "" "load at start of run" "$(load1)"; "measure_$command"; done
    report
    ;;
  report) ensure_tools; report ;;
  pages)
    prepare; ensure_seeded; new_results
    for run in $(seq 1 "$runs"); do record machine "" "load at start of run" "$(load1)"; measure_pages; done
    report
    ;;
  seed)
    prepare
    seed "$scale"
    ;;
  stop) ensure_tools; stop_cluster ;;
  clean) ensure_tools; stop_cluster; rm -rf "$dir" ;;
  fhir) fhir ;;
  live) live ;;
  outbox) outbox ;;
  failover) failover ;;
  scaleout) scaleout ;;
  *) echo "usage: see the top of bench.sh" >&2; exit 2 ;;
esac
