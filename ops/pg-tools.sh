# Sourced by the ops/ scripts: pg_tool NAME prints the path of a PostgreSQL client program (psql,
# pg_dump, pg_restore): the one on PATH, else the newest installed server version's.
pg_tool() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] || { echo "$1 not found: install the PostgreSQL client (apt-get install postgresql-client)" >&2; return 1; }
  echo "$found"
}
