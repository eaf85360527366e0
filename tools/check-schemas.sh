#!/usr/bin/env bash
# tools/check-schemas.sh — the SQLite and PostgreSQL schemas of cej describe the same
# database (issue 14, docs/postgres.md). Fails, printing each difference in plain words,
# unless:
#   1. src/db/migrations/sqlite and src/db/migrations/postgres hold the same file names;
#   2. after migrating a fresh SQLite file (sqlite3, foreign keys on, each file in a
#      transaction) and a fresh PostgreSQL database (each file sent as one request inside
#      BEGIN/COMMIT, as `cej migrate` does), both have the same tables, the same columns in
#      the same order with compatible types (INTEGER↔bigint, TEXT↔text, BLOB↔bytea,
#      REAL↔double precision) and nullability, the same primary, unique and foreign keys,
#      the same indexes (name, table, key columns — an expression reads <expr> —, unique,
#      partial) and the same triggers (name, table).
#   3. the writes of tools/schema-effects.sql leave, on both, the same values in every
#      column the triggers keep (grams, counters, summaries, copied columns);
#   4. a database upgraded with rows in it ends equal: the sections of
#      tools/schema-upgrade.sql are written after the migrations they name, on a second
#      pair of databases, then every table must hold the same rows (blobs and the random
#      ids of 0003 aside).
# CHECK constraints are not compared (they are written in each engine's SQL). Ignored: schema_migration, SQLite's own
# tables, and the compatibility objects of PostgreSQL listed below (docs/postgres.md):
# columns (out of the column lists and of the indexes' keys, where SQLite's rowid is
# implicit) and indexes.
#
# Uses the cluster of CEJ_TEST_DATABASE_URL (make unit runs it under tools/with-pg.sh),
# where it creates and drops a database of its own; without it, starts a throwaway
# cluster in build/pg-schemas. Needs sqlite3 and psql.
#
#   tools/check-schemas.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sqlite_dir=$root/src/db/migrations/sqlite
pg_dir=$root/src/db/migrations/postgres

# Compatibility objects that only PostgreSQL has (docs/postgres.md): SQLite's implicit
# rowid where a store orders or joins by it ("table.column"), and the index that makes it
# a key.
PG_ONLY_COLUMNS="beneficiary.rowid action.rowid event_history.rowid"
PG_ONLY_INDEXES="action_rowid"

if [ -z "${CEJ_TEST_DATABASE_URL:-}" ]; then
	CEJ_PG_TEST_DIR=${CEJ_PG_TEST_DIR:-$root/build/pg-schemas} exec "$root/tools/with-pg.sh" "$0" "$@"
fi

tmp=$(mktemp -d)
base=${CEJ_TEST_DATABASE_URL%/*}
dbname=cej_schemas_$$
created=""
cleanup() {
	local db
	for db in $created; do
		psql "$base/postgres" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- 1. The same migration names --------------------------------------------------------
(cd "$sqlite_dir" && ls -- *.sql) >"$tmp/sqlite.names"
(cd "$pg_dir" && ls -- *.sql) >"$tmp/pg.names"
{
	comm -23 "$tmp/sqlite.names" "$tmp/pg.names" |
		sed 's|.*|migration & : présente dans sqlite/, absente de postgres/|'
	comm -13 "$tmp/sqlite.names" "$tmp/pg.names" |
		sed 's|.*|migration & : présente dans postgres/, absente de sqlite/|'
} >"$tmp/names.diff"

# ---- 2. Migrate both --------------------------------------------------------------------
# migrate SQLITE_FILE PG_DATABASE [DATA]: every migration on both, each in a transaction;
# after each, the section of DATA (tools/schema-upgrade.sql) that names it, if any.
section() {   # DATA NAME: the lines after "-- after NNNN" up to the next such line
	[ -n "$1" ] || return 0
	awk -v m="${2%%_*}" '/^-- after / { on = ($3 == m); next } on' "$1"
}
migrate() {
	local file=$1 db=$2 data=${3:-} f
	{
		echo "PRAGMA foreign_keys = ON;"
		while read -r f; do
			printf 'BEGIN;\n.read %s\nCOMMIT;\n' "$sqlite_dir/$f"
			section "$data" "$f" | sed "s/BLOB_00/X'00'/g"
		done <"$tmp/sqlite.names"
	} | sqlite3 -bail "$file" >"$tmp/sqlite.log" 2>&1 || {
		echo "les migrations SQLite échouent :"
		cat "$tmp/sqlite.log"
		exit 1
	}
	psql "$base/postgres" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
	created="$created $db"
	while read -r f; do
		# One request per file, inside a transaction: what `cej migrate` sends (no psql
		# meta-command, no statement that refuses a transaction).
		psql "$base/$db" -X -q -v ON_ERROR_STOP=1 -c "BEGIN;
$(cat "$pg_dir/$f")
;
COMMIT;" >"$tmp/pg.log" 2>&1 || {
			echo "la migration PostgreSQL $f échoue :"
			cat "$tmp/pg.log"
			exit 1
		}
		section "$data" "$f" | sed "s/BLOB_00/'\\\\x00'::bytea/g" |
			psql "$base/$db" -X -q -v ON_ERROR_STOP=1 -f - >"$tmp/pg.log" 2>&1 || {
			echo "tools/schema-upgrade.sql après $f échoue sur PostgreSQL :"
			cat "$tmp/pg.log"
			exit 1
		}
	done <"$tmp/pg.names"
}
migrate "$tmp/cej.db" "$dbname"
pg() { psql "$base/$dbname" -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 "$@"; }

# ---- 3. Describe both the same way: lines "object<TAB>properties" ------------------------
sqlite3 -bail -separator $'\t' "$tmp/cej.db" >"$tmp/sqlite.desc" <<'SQL'
CREATE TEMP VIEW t AS SELECT name FROM sqlite_schema
	WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'schema_migration';
SELECT 'colonne ' || t.name || '.' || c.name,
	CASE upper(c.type) WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text'
		WHEN 'BLOB' THEN 'bytea' WHEN 'REAL' THEN 'double precision'
		ELSE 'type SQLite ' || c.type END
	|| CASE WHEN c."notnull" OR c.pk > 0 THEN ' NOT NULL' ELSE ' NULL' END
FROM t JOIN pragma_table_info(t.name) c;
SELECT 'ordre des colonnes de ' || t.name,
	(SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info(t.name) ORDER BY cid))
FROM t;
SELECT 'clé primaire de ' || t.name,
	(SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info(t.name) WHERE pk > 0 ORDER BY pk))
FROM t WHERE EXISTS (SELECT 1 FROM pragma_table_info(t.name) WHERE pk > 0);
SELECT 'clé unique de ' || t.name || ' (' ||
	(SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) || ')', 'unique'
FROM t JOIN pragma_index_list(t.name) il WHERE il.origin = 'u';
SELECT 'clé étrangère de ' || t.name || ' (' || group_concat(fk."from", ', ') || ')',
	'vers ' || fk."table" || ' (' || group_concat(coalesce(fk."to", '?'), ', ') || ')'
FROM t JOIN pragma_foreign_key_list(t.name) fk GROUP BY t.name, fk.id;
SELECT 'index ' || m.name,
	'sur ' || m.tbl_name || ' (' ||
	(SELECT group_concat(coalesce(name, '<expr>'), ', ') FROM
		(SELECT name FROM pragma_index_xinfo(m.name) WHERE key = 1 ORDER BY seqno)) || ')'
	|| CASE WHEN il."unique" THEN ' unique' ELSE '' END
	|| CASE WHEN il.partial THEN ' partiel' ELSE '' END
FROM sqlite_schema m JOIN pragma_index_list(m.tbl_name) il ON il.name = m.name
WHERE m.type = 'index' AND m.sql IS NOT NULL;
SELECT 'trigger ' || name, 'sur ' || tbl_name FROM sqlite_schema WHERE type = 'trigger';
SQL

pg >"$tmp/pg.desc" <<'SQL'
CREATE TEMP VIEW t AS SELECT c.oid, c.relname AS name FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migration';
CREATE TEMP VIEW col AS SELECT t.oid, t.name AS tname, a.attnum, a.attname AS name,
	format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
	FROM t JOIN pg_attribute a ON a.attrelid = t.oid WHERE a.attnum > 0 AND NOT a.attisdropped;
CREATE TEMP VIEW cols AS SELECT c.oid, c.conname, c.contype, c.confrelid,
	(SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS keys,
	(SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
		JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS fkeys,
	c.conrelid
	FROM pg_constraint c JOIN t ON t.oid = c.conrelid;
SELECT 'colonne ' || tname || '.' || name,
	type || CASE WHEN attnotnull THEN ' NOT NULL' ELSE ' NULL' END FROM col;
SELECT 'ordre des colonnes de ' || tname, string_agg(name, ', ' ORDER BY attnum)
FROM col GROUP BY tname;
SELECT 'clé primaire de ' || t.name, keys FROM cols JOIN t ON t.oid = cols.conrelid
WHERE contype = 'p';
SELECT 'clé unique de ' || t.name || ' (' || keys || ')', 'unique'
FROM cols JOIN t ON t.oid = cols.conrelid WHERE contype = 'u';
SELECT 'clé étrangère de ' || t.name || ' (' || keys || ')',
	'vers ' || r.relname || ' (' || fkeys || ')'
FROM cols JOIN t ON t.oid = cols.conrelid JOIN pg_class r ON r.oid = cols.confrelid
WHERE contype = 'f';
SELECT 'index ' || i.relname,
	'sur ' || t.name || ' (' ||
	(SELECT string_agg(CASE WHEN x.indkey[k - 1] = 0 THEN '<expr>'
		ELSE trim(both '"' from pg_get_indexdef(x.indexrelid, k, true)) END, ', ' ORDER BY k)
	 FROM generate_series(1, x.indnkeyatts) k) || ')'
	|| CASE WHEN x.indisunique THEN ' unique' ELSE '' END
	|| CASE WHEN x.indpred IS NOT NULL THEN ' partiel' ELSE '' END
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN t ON t.oid = x.indrelid
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid);
SELECT 'trigger ' || tg.tgname, 'sur ' || t.name
FROM pg_trigger tg JOIN t ON t.oid = tg.tgrelid WHERE NOT tg.tgisinternal;
SQL

# The compatibility objects: out of the column lines, the column order and the keys of
# the table's indexes; the indexes themselves.
for c in $PG_ONLY_COLUMNS; do
	table=${c%%.*} column=${c#*.}
	awk -F '\t' -v t="$table" -v c="$column" '
		function drop(list,   n, a, i, s) {
			n = split(list, a, ", "); s = ""
			for (i = 1; i <= n; i++) if (a[i] != c) s = s (s == "" ? "" : ", ") a[i]
			return s
		}
		$1 == "colonne " t "." c { next }
		$1 == "ordre des colonnes de " t { $2 = drop($2) }
		$1 ~ /^index / && index($2, "sur " t " (") == 1 {
			lp = index($2, "("); rp = index($2, ")")
			$2 = substr($2, 1, lp) drop(substr($2, lp + 1, rp - lp - 1)) substr($2, rp)
		}
		{ print $1 "\t" $2 }' "$tmp/pg.desc" >"$tmp/pg.desc2"
	mv "$tmp/pg.desc2" "$tmp/pg.desc"
done
for i in $PG_ONLY_INDEXES; do
	awk -F '\t' -v i="$i" '$1 != "index " i' "$tmp/pg.desc" >"$tmp/pg.desc2"
	mv "$tmp/pg.desc2" "$tmp/pg.desc"
done

# ---- 4. The triggers' effects -------------------------------------------------------------
effects=$root/tools/schema-effects.sql
sed "s/BLOB_00/X'00'/g" "$effects" |
	sqlite3 -bail -list -separator '|' "$tmp/cej.db" >"$tmp/sqlite.effects" 2>&1 || true
sed "s/BLOB_00/'\\\\x00'::bytea/g" "$effects" | pg -F '|' -f - >"$tmp/pg.effects" 2>&1 || true
if ! cmp -s "$tmp/sqlite.effects" "$tmp/pg.effects"; then
	echo "tools/schema-effects.sql : les triggers ne donnent pas les mêmes valeurs (< SQLite, > PostgreSQL) :" >>"$tmp/names.diff"
	diff "$tmp/sqlite.effects" "$tmp/pg.effects" | grep '^[<>]' >>"$tmp/names.diff" || true
fi

# ---- 5. An upgrade with rows --------------------------------------------------------------
migrate "$tmp/upgraded.db" "${dbname}_up" "$root/tools/schema-upgrade.sql"
# Every table's rows, in the columns SQLite has (blobs and 0003's random ids aside).
awk -F '\t' '
	$1 ~ /^colonne / && $2 ~ /^bytea/ { skip[substr($1, 9)] = 1 }
	$1 ~ /^ordre des colonnes de / { order[substr($1, 23)] = $2 }
	END {
		skip["counselor_history.id"] = 1
		for (t in order) {
			n = split(order[t], c, ", "); cols = ""
			for (i = 1; i <= n; i++)
				if (!((t "." c[i]) in skip)) cols = cols (cols == "" ? "" : ", ") c[i]
			printf "SELECT '\''%s'\'', %s FROM %s ORDER BY %s;\n", t, cols, t, cols
		}
	}' "$tmp/sqlite.desc" | LC_ALL=C sort >"$tmp/dump.sql"
sqlite3 -bail -list -separator '|' "$tmp/upgraded.db" <"$tmp/dump.sql" >"$tmp/sqlite.rows" 2>&1 || true
psql "$base/${dbname}_up" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -f "$tmp/dump.sql" \
	>"$tmp/pg.rows" 2>&1 || true
if ! cmp -s "$tmp/sqlite.rows" "$tmp/pg.rows"; then
	echo "tools/schema-upgrade.sql : après une mise à jour avec des lignes, les tables diffèrent (< SQLite, > PostgreSQL) :" >>"$tmp/names.diff"
	diff "$tmp/sqlite.rows" "$tmp/pg.rows" | grep '^[<>]' >>"$tmp/names.diff" || true
fi

# ---- 6. Say each difference --------------------------------------------------------------
[ -n "${CHECK_SCHEMAS_DUMP:-}" ] && cp "$tmp/sqlite.desc" "$tmp/pg.desc" "$CHECK_SCHEMAS_DUMP"/
LC_ALL=C sort -o "$tmp/sqlite.desc" "$tmp/sqlite.desc"
LC_ALL=C sort -o "$tmp/pg.desc" "$tmp/pg.desc"
awk -F '\t' '
	FNR == NR { s[$1] = $2; next }
	{ p[$1] = $2 }
	END {
		for (k in s) {
			if (!(k in p)) print k " : sur SQLite (" s[k] "), absent(e) de PostgreSQL"
			else if (s[k] != p[k]) print k " : SQLite « " s[k] " », PostgreSQL « " p[k] " »"
		}
		for (k in p) if (!(k in s)) print k " : sur PostgreSQL (" p[k] "), absent(e) de SQLite"
	}' "$tmp/sqlite.desc" "$tmp/pg.desc" | LC_ALL=C sort | cat "$tmp/names.diff" - >"$tmp/diff"

if [ -s "$tmp/diff" ]; then
	cat "$tmp/diff"
	echo "check-schemas : les schémas SQLite et PostgreSQL diffèrent ($(wc -l <"$tmp/diff") ligne(s) ci-dessus)"
	exit 1
fi
echo "check-schemas : $(wc -l <"$tmp/pg.names") migrations, $(grep -c '^colonne ' "$tmp/pg.desc") colonnes, $(grep -c '^index ' "$tmp/pg.desc") index, $(grep -c '^trigger ' "$tmp/pg.desc") triggers, $(wc -l <"$tmp/pg.effects") lignes de valeurs tenues par des triggers, $(wc -l <"$tmp/pg.rows") lignes après une mise à jour : mêmes schémas"
