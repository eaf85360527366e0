#!/usr/bin/env bash
# tools/sql-census.sh — the census of docs/postgres.md: every statement the stores prepare,
# checked against the PostgreSQL schema. The unit tests run on SQLite with an LD_PRELOAD
# shim (tools/sql-census/shim.c) that logs each SQL text prepared, its caller and the
# types of its binds; the db_prepare() calls of the stores are also read in the code (for
# those the tests never reach); each statement is then prepared on a freshly migrated
# PostgreSQL database with the types the libpq backend binds (tools/sql-census/pgcheck.c).
# Prints, in plain words, each statement PostgreSQL refuses and each returning a boolean
# column, and fails when a store's statement must be fixed. --tout: the tests' own
# statements too. Uses the cluster of CEJ_TEST_DATABASE_URL, else a throwaway one in
# build/pg-census. Needs the build (make build), cc, pkg-config, addr2line, psql.
#
#   tools/sql-census.sh [--tout]        (make sql-census)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
out=$build/sql-census

if [ -z "${CEJ_TEST_DATABASE_URL:-}" ]; then
	CEJ_PG_TEST_DIR=${CEJ_PG_TEST_DIR:-$root/build/pg-census} exec "$root/tools/with-pg.sh" "$0" "$@"
fi
base=${CEJ_TEST_DATABASE_URL%/*}
db=cej_census_$$
trap 'psql "$base/postgres" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

mkdir -p "$out"
# shellcheck disable=SC2046  # pkg-config's flags are several words
cc -std=c17 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/shim.so" \
	"$root/tools/sql-census/shim.c" $(pkg-config --cflags sqlite3) -ldl
# shellcheck disable=SC2046
cc -std=c17 -O2 -Wall -Wextra -Werror -o "$out/pgcheck" "$root/tools/sql-census/pgcheck.c" \
	$(pkg-config --cflags --libs libpq)

rm -f "$out/log"
env -u CEJ_TEST_DATABASE_URL CENSUS_LOG="$out/log" LD_PRELOAD="$out/shim.so" \
	meson test -C "$build" >"$out/tests.log" 2>&1 || {
	echo "sql-census : des tests unitaires échouent (voir $out/tests.log)"
	exit 1
}
python3 "$root/tools/sql-census/census.py" collect "$out/log" "$root" "$build" >"$out/records"

psql "$base/postgres" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
for f in "$root"/src/db/migrations/postgres/*.sql; do
	psql "$base/$db" -X -q -v ON_ERROR_STOP=1 -c "BEGIN;
$(cat "$f")
;
COMMIT;" >/dev/null
done
# The table db_migrate() makes itself (src/db/migrate.c), read by a few statements.
psql "$base/$db" -X -q -v ON_ERROR_STOP=1 \
	-c "CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"
"$out/pgcheck" "$base/$db" <"$out/records" >"$out/checked"
python3 "$root/tools/sql-census/census.py" report "$out/checked" "$@"
