#!/usr/bin/env bash
# Backs up the portal's database: pg_dump in custom format, timestamped, the newest BACKUP_KEEP kept.
#
#   DATABASE_URL=postgresql://user:password@host:5432/mediconnect ops/backup.sh
#
# Settings (environment):
#   DATABASE_DIRECT_URL, else DATABASE_URL   the database (PostgreSQL itself, not PgBouncer); when neither
#                                            is set, libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD
#   BACKUP_DIR    where the dumps go (default /var/backups/mediconnect; created private to this user)
#   BACKUP_KEEP   how many dumps to keep (default 14); older ones are deleted after a successful dump
#
# Writes BACKUP_DIR/mediconnect-YYYYMMDDTHHMMSSZ.dump and, beside it, .counts: the row count of
# every table, taken in the very snapshot pg_dump reads, so ops/restore-drill.sh can tell a
# complete restore from an incomplete one even on a database that kept changing meanwhile.
# Exits non-zero (and keeps every older dump) when anything fails.
set -euo pipefail

dir=${BACKUP_DIR:-/var/backups/mediconnect}
keep=${BACKUP_KEEP:-14}
target=${DATABASE_DIRECT_URL:-${DATABASE_URL:-}}
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "BACKUP_KEEP must be a whole number of at least 1, but is '$keep'" >&2; exit 2; }
[[ "$target" != *pgbouncer=true* ]] || { echo "Back up PostgreSQL itself: set DATABASE_DIRECT_URL (pg_dump needs a session of its own, not PgBouncer)" >&2; exit 2; }

source "$(dirname "$0")/pg-tools.sh"
psql=$(pg_tool psql)
pg_dump=$(pg_tool pg_dump)

umask 077 # the dumps hold patient data
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="mediconnect-$stamp"
partial="$dir/.$name.partial"
trap 'rm -f "$partial.dump" "$partial.counts"' EXIT

# One read-only repeatable-read transaction exports its snapshot: pg_dump reads that snapshot,
# and the row counts are taken inside the same transaction.
coproc PSQL { "$psql" -X -q -A -t -v ON_ERROR_STOP=1 ${target:+"$target"}; }
psql_pid=$PSQL_PID
send() { printf '%s\n' "$1" >&"${PSQL[1]}"; }
send "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
send "SELECT pg_export_snapshot();"
snapshot=""
read -r snapshot <&"${PSQL[0]}" || true
[ -n "$snapshot" ] || { echo "Could not connect to the database to back it up (see the message above)" >&2; exit 1; }

"$pg_dump" --format=custom --snapshot="$snapshot" --file="$partial.dump" ${target:+"$target"}

send "$(cat "$(dirname "$0")/table-counts.sql")"
send '\echo __end_of_counts__'
while IFS= read -r line <&"${PSQL[0]}"; do
  [ "$line" = "__end_of_counts__" ] && break
  printf '%s\n' "$line"
done >"$partial.counts"
send "COMMIT;"
send '\q'
wait "$psql_pid"
[ -s "$partial.counts" ] || { echo "Counting the rows of the backed-up snapshot failed" >&2; exit 1; }

mv "$partial.dump" "$dir/$name.dump"
mv "$partial.counts" "$dir/$name.counts"
tables=$(wc -l <"$dir/$name.counts")
echo "Backed up to $dir/$name.dump ($(du -h "$dir/$name.dump" | cut -f1), $tables tables)"

# Retention: the newest $keep dumps stay (names sort by time).
mapfile -t old < <(ls -1 "$dir"/mediconnect-*.dump 2>/dev/null | sort -r | tail -n +$((keep + 1)))
for dump in "${old[@]}"; do
  rm -f "$dump" "${dump%.dump}.counts"
  echo "Deleted the older backup $dump"
done
