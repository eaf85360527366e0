#!/usr/bin/env bash
# bench/backup.sh — `cej admin sauvegarde` on the bench database (docs/sauvegarde.md,
# "Measured"): its duration and throughput on an idle database, then while a writer
# commits one row per transaction the whole time (sqlite3 beside it, as the server's
# writers would). It prints cej's own lines and the writer's commits; it passes or fails
# nothing. Wall times: run it on a quiet machine, or compare only runs of the same moment.
#
#   bench/backup.sh                                  1000 counselors × 50 (50,000 beneficiaries)
#   BENCH_COUNSELORS=100 RUNS=5 bench/backup.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CEJ=${CEJ_BIN:-$ROOT/build/cej}
COUNSELORS=${BENCH_COUNSELORS:-1000}
PER=${BENCH_PER:-50}
RUNS=${RUNS:-3}

die() { echo "backup.sh : $*" >&2; exit 1; }
[ -x "$CEJ" ] || die "$CEJ introuvable (make build)"
command -v sqlite3 >/dev/null || die "sqlite3 introuvable (paquet Debian sqlite3)"

tmp=$(mktemp -d)
writer=
cleanup() {
	[ -n "$writer" ] && kill "$writer" 2>/dev/null && wait "$writer" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true

"$CEJ" migrate >"$tmp/data.log" 2>&1 &&
	"$CEJ" bench-data --conseillers "$COUNSELORS" --beneficiaires "$PER" >>"$tmp/data.log" 2>&1 ||
	{ cat "$tmp/data.log" >&2; die "cej bench-data a échoué"; }
echo "base : $COUNSELORS conseillers × $PER bénéficiaires, $(stat -c %s "$CEJ_DB_PATH") octets ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo ?))"

backups() {
	for _ in $(seq "$RUNS"); do
		"$CEJ" admin sauvegarde --ecraser "$tmp/copie.db" | sed -n '4p'
	done
}

echo "base au repos :"
backups

# The writer: single-row transactions, as fast as they commit, until killed.
sqlite3 "$CEJ_DB_PATH" "CREATE TABLE bench_load (id INTEGER PRIMARY KEY, v BLOB)"
{
	echo "PRAGMA busy_timeout=5000;"
	yes "INSERT INTO bench_load (v) VALUES (randomblob(300));" | head -n 2000000
} | sqlite3 "$CEJ_DB_PATH" >/dev/null 2>"$tmp/writer.log" &
writer=$!
sleep 1
echo "pendant qu'un écrivain valide une ligne par transaction :"
start=$(sqlite3 "$CEJ_DB_PATH" "PRAGMA busy_timeout=5000; SELECT count(*) FROM bench_load" | tail -1)
t0=$(date +%s%N)
backups
t1=$(date +%s%N)
end=$(sqlite3 "$CEJ_DB_PATH" "PRAGMA busy_timeout=5000; SELECT count(*) FROM bench_load" | tail -1)
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null || true
writer=
echo "écrivain : $((end - start)) transactions en $(((t1 - t0) / 1000000)) ms pendant les sauvegardes" \
	"$( [ -s "$tmp/writer.log" ] && echo "; erreurs : $(head -c 200 "$tmp/writer.log")" || echo "; aucune erreur")"
