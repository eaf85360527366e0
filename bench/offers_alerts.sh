#!/usr/bin/env bash
# bench/offers_alerts.sh — one day of alerts measured in-process (issue 15 point 9, the
# alerts): a demo catalogue (`cej offers demo --per-type N/3`: France Travail (Emploi and Alternance),
# Service civique, Immersion over the whole country), then SEARCHES saved searches and the
# two runs of the day, 09:00 and 11:00 (bench/offers_alerts_bench.c): duration, searches
# per second, how many had new offers, and a second run the same day (nothing to do). The
# target: one run < 60 s for 10,000 searches over 500,000 offers. A benchmark, not a test:
# exits 0 whatever the numbers (non-zero only when the set-up fails).
#
#   bench/offers_alerts.sh                  500,000 offers, 10,000 searches, temporary SQLite
#   OFFRES=50000 RECHERCHES=2000 bench/offers_alerts.sh
#   bench/offers_alerts.sh --reuse DIR      keeps the database in DIR (the catalogue is made
#                                           on the first run only)
#   CEJ_DATABASE_URL=postgres://…           the same on PostgreSQL (an empty database)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CEJ=${CEJ_BIN:-$ROOT/build/cej}
BIN=${BENCH_ALERTS_BIN:-$ROOT/build/bench_offers_alerts}
N=${OFFRES:-500000}
S=${RECHERCHES:-10000}
for b in "$CEJ" "$BIN"; do
	[ -x "$b" ] || { echo "offers_alerts.sh : $b introuvable : lancez d'abord « make build »" >&2; exit 1; }
done
[[ $N =~ ^[0-9]+$ && $S =~ ^[0-9]+$ ]] || { echo "offers_alerts.sh : OFFRES et RECHERCHES sont des nombres" >&2; exit 1; }

dir=""
if [ "${1:-}" = "--reuse" ]; then
	dir=${2:?"offers_alerts.sh : --reuse DOSSIER"}
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/cej-alerts-bench.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi
export CEJ_DATABASE_URL=${CEJ_DATABASE_URL:-$dir/offers.db}
export CEJ_MESSAGE_KEY_FILE=${CEJ_MESSAGE_KEY_FILE:-$dir/cles-messages}

echo "offers_alerts.sh : $N offres, $S recherches, $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cœurs"
if [ ! -e "$dir/catalogue-fait" ]; then
	"$CEJ" migrate > /dev/null 2> "$dir/migrate.log" || { cat "$dir/migrate.log" >&2; exit 1; }
	"$CEJ" offers communes import "$ROOT/data/geo/departements.csv" "$ROOT/data/geo/communes.csv"
	start=$(date +%s)
	"$CEJ" offers demo --seed 42 --per-type $((N / 3)) --days 30 --today $((N / 250))
	echo "catalogue généré et indexé en $(( $(date +%s) - start )) s"
	touch "$dir/catalogue-fait"
fi
"$BIN" "$CEJ_DATABASE_URL" "$S"
