#!/usr/bin/env bash
# The restore drill: proves the newest backup can be restored. Restores it into a scratch
# database on the server, runs the portal's `migrate status` against the copy, and compares the
# row count of every table with the counts ops/backup.sh took in the dump's own snapshot.
# Exits 0 when all of it holds; non-zero, saying what differs, on any difference. The scratch
# database is dropped at the end (DRILL_KEEP=true keeps it for a look).
#
#   DATABASE_URL=postgresql://user:password@host:5432/mediconnect ops/restore-drill.sh [DUMP]
#
# Settings (environment):
#   DRILL_DATABASE_URL, else DATABASE_DIRECT_URL, else DATABASE_URL
#                 a database on the server to restore on (its user needs CREATEDB); the drill only
#                 connects there and creates its own mediconnect_drill_… database beside it
#   BACKUP_DIR    where ops/backup.sh put the dumps (default /var/backups/mediconnect); DUMP, when
#                 given, is restored instead of the newest
#   PORTAL_DLL    the published portal, for `migrate status` (default /opt/mediconnect/MediConnect.Portal.dll;
#                 when absent, `dotnet run --project` on this repository)
#   DRILL_KEEP    true: keep the scratch database
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${BACKUP_DIR:-/var/backups/mediconnect}
server=${DRILL_DATABASE_URL:-${DATABASE_DIRECT_URL:-${DATABASE_URL:-}}}
[ -n "$server" ] || { echo "Set DRILL_DATABASE_URL or DATABASE_URL: the server to restore on" >&2; exit 2; }
[[ "$server" == postgres*://*/* ]] || { echo "DRILL_DATABASE_URL / DATABASE_URL must look like postgresql://user:password@host:5432/database" >&2; exit 2; }
[[ "$server" != *pgbouncer=true* ]] || { echo "Restore on PostgreSQL itself: set DATABASE_DIRECT_URL or DRILL_DATABASE_URL, not PgBouncer" >&2; exit 2; }

source "$(dirname "$0")/pg-tools.sh"
psql=$(pg_tool psql)
pg_restore=$(pg_tool pg_restore)

dump=${1:-$(ls -1 "$dir"/mediconnect-*.dump 2>/dev/null | sort | tail -1 || true)}
[ -n "$dump" ] && [ -f "$dump" ] || { echo "No backup to drill: no mediconnect-*.dump in $dir (run ops/backup.sh first)" >&2; exit 1; }
counts="${dump%.dump}.counts"
[ -f "$counts" ] || { echo "$counts is missing: the drill compares against the counts ops/backup.sh writes beside each dump" >&2; exit 1; }

# The scratch database's URL: the server's, with another database name (query string kept).
scratch="mediconnect_drill_$(date -u +%Y%m%d%H%M%S)_$$"
base=${server%%\?*}
query=${server#"$base"}
scratch_url="${base%/*}/$scratch$query"

drop() {
  if [ "${DRILL_KEEP:-false}" = true ]; then
    echo "Kept the scratch database $scratch"
  else
    "$psql" -X -q -v ON_ERROR_STOP=1 "$server" -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null
  fi
}
"$psql" -X -q -v ON_ERROR_STOP=1 "$server" -c "CREATE DATABASE \"$scratch\""
trap drop EXIT

echo "Restoring $dump into $scratch ..."
"$pg_restore" --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

echo "migrate status on the restored copy:"
if [ -f "${PORTAL_DLL:-/opt/mediconnect/MediConnect.Portal.dll}" ]; then
  portal=(dotnet "${PORTAL_DLL:-/opt/mediconnect/MediConnect.Portal.dll}")
else
  portal=(dotnet run --project "$here/../MediConnect.Portal" --)
fi
if ! DATABASE_URL="$scratch_url" DATABASE_DIRECT_URL="" DATABASE_READ_URL="" POSTGRES_PGBOUNCER=false "${portal[@]}" migrate status; then
  echo "DRILL FAILED: migrate status found a problem on the restored copy" >&2
  exit 1
fi

restored=$("$psql" -X -q -A -t -v ON_ERROR_STOP=1 "$scratch_url" -f "$here/table-counts.sql")
if ! difference=$(diff <(cat "$counts") <(printf '%s\n' "$restored")); then
  echo "DRILL FAILED: row counts of the restored copy differ from the backup's (< at backup, > restored):" >&2
  printf '%s\n' "$difference" >&2
  exit 1
fi
tables=$(wc -l <"$counts")
rows=$(awk -F'\t' '{ sum += $2 } END { print sum + 0 }' "$counts")
echo "Restore drill passed: $(basename "$dump") restored, migrate status clean, $tables tables and $rows rows as at backup time."
