#!/usr/bin/env bash
# Runs the whole test suite and ends with the plain line "N passed, N failed".
# Installs what the tests need when it is missing and this user may install it (as root on
# Debian): the PostgreSQL server binaries, Chromium for the browser tests, docker-compose to
# validate docker-compose.yml, for the scale-out tests nginx, pgbouncer, wrk, openssl and
# systemd-analyze, faketime and stress-ng for runs under a shifted clock or under load, and
# python3-aiosmtpd, the SMTP server the email tests start, and patroni and etcd-server for the
# high-availability tests (docs/operations/high-availability.md).
# Extra arguments go to the test runner (e.g. --filter-class).
set -uo pipefail
cd "$(dirname "$0")"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || missing+=(faketime)   # .ci/shifted-clocks
command -v stress-ng >/dev/null 2>&1 || missing+=(stress-ng)                     # runs under load (docs/development.md)
[ -f /usr/lib/python3/dist-packages/aiosmtpd/__init__.py ] || missing+=(python3-aiosmtpd)   # the email tests' SMTP server
command -v patroni >/dev/null 2>&1 || missing+=(patroni)                         # the high-availability tests' cluster manager
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)                        # and its configuration store
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; the tests that need them will say so" >&2
  else
    echo "warning: ${missing[*]} missing and not installable here; the tests that need them will say so" >&2
  fi
fi

log=$(mktemp)
# A run in which no test finishes for 10 minutes is hung: end it with a dump instead of waiting.
dotnet test --project MediConnect.Portal.Tests --hangdump --hangdump-timeout 10m --hangdump-type Mini "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

total=$(grep -Eo '^\s*total: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
failed=$(grep -Eo '^\s*failed: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
passed=$(grep -Eo '^\s*succeeded: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
skipped=$(grep -Eo '^\s*skipped: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
# Name the failed tests again at the end, where a CI log's tail shows them.
failures=$(grep -A2 -E '^\s*failed (\(canceled\) )?[A-Za-z_]' "$log")
rm -f "$log"

if [ -z "${total:-}" ]; then
  echo "0 passed, 1 failed"   # the build or the test host failed before any test ran
  exit $(( status == 0 ? 1 : status ))
fi
[ -n "$failures" ] && printf 'Failed:\n%s\n' "$failures"
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
