#!/usr/bin/env bash
# bench/offers.sh — the offers' search measured in-process (issue 15 point 9, the query
# half): a catalogue of N offers over the whole country, generated deterministically and
# indexed through the store (bench/offers_bench.c), then offers_search() timed on one
# thread for keywords + commune + 10 km, a département, keywords + département and an offer
# number: p50 / p99 / max, the average number of results and of rows the search reads.
# The wrk run at 64 connections comes with the search pages. A benchmark, not a test:
# exits 0 whatever the numbers (non-zero only when the set-up fails).
#
#   bench/offers.sh                    500,000 offers in a temporary SQLite database
#   OFFRES=50000 bench/offers.sh       fewer offers
#   bench/offers.sh --reuse DIR        keeps the database in DIR (generated on the first
#                                      run, completed up to OFFRES, reused after)
#   TOURS=300                          searches timed per kind (default 300)
#   CEJ_DATABASE_URL=postgres://…      the same on PostgreSQL (an empty database, or one
#                                      this bench filled)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BENCH_OFFERS_BIN:-$ROOT/build/bench_offers}
N=${OFFRES:-500000}
[ -x "$BIN" ] || { echo "offers.sh : $BIN introuvable : lancez d'abord « make build »" >&2; exit 1; }
[[ $N =~ ^[0-9]+$ ]] || { echo "offers.sh : OFFRES doit être un nombre" >&2; exit 1; }

dir=""
if [ "${1:-}" = "--reuse" ]; then
	dir=${2:?"offers.sh : --reuse DOSSIER"}
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/cej-offers-bench.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi
url=${CEJ_DATABASE_URL:-$dir/offers.db}

echo "offers.sh : $N offres, $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cœurs"
"$BIN" "$url" "$N" "$ROOT/data/geo"
if [ -z "${CEJ_DATABASE_URL:-}" ]; then
	echo "taille de la base : $(du -sh "$dir" | cut -f1)"
fi
