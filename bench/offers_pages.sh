#!/usr/bin/env bash
# bench/offers_pages.sh — the counselor's offer search pages under load (issue 15 point 9,
# the page half; bench/offers.sh times the query alone, in-process): a demo catalogue over
# the whole country (`cej offers demo`, OFFRES offers, 500,000 by default), then GET /offres
# at 64 connections beside nginx serving a static file of the same size in the same run:
#   - mots clés + commune + 10 km   « vendeur » around Paris (the densest circle) and Brest:
#                                   the same URL again and again, so after the first request
#                                   the pages' cache (src/offers/offers_cache.h) answers
#   - variée                        a different search each request (bench/offers_varied.lua:
#                                   20 métiers × 20 large communes × 5–40 km): mostly misses,
#                                   the cost of a search itself under load
#   - département                   Finistère (29), no keywords
#   - numéro d'offre                one offer of the catalogue, by its number
# Target: p99 < 30 ms. A benchmark, not a test: it prints numbers and exits 0 whether or
# not the target is met (non-zero only when the set-up fails). See bench/README.md.
#
#   bench/offers_pages.sh                    500,000 offers, DURATION=10 s per wrk run
#   OFFRES=50000 DURATION=3 bench/offers_pages.sh   a short run, to check that it works
#   CATALOGUE=DIR/offers.db bench/offers_pages.sh   a copy of the catalogue bench/offers_alerts.sh
#                                                   --reuse DIR made (generating 500,000 offers
#                                                   takes 10 to 20 minutes)
#   CEJ_BIN=/path/to/cej NGINX=/usr/sbin/nginx WRK=wrk
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
TARGET_P99_MS=30
N=${OFFRES:-500000}
[[ $N =~ ^[0-9]+$ ]] || { echo "offers_pages.sh : OFFRES doit être un nombre" >&2; exit 1; }

PAGES=(mots-cles-paris mots-cles-brest variee departement numero)
declare -A PATH_OF SIZE_OF
PATH_OF[mots-cles-paris]="/offres?type=emploi&motscles=vendeur&lieu=75056&distance=10&recherche=1"
PATH_OF[mots-cles-brest]="/offres?type=emploi&motscles=vendeur&lieu=29019&distance=10&recherche=1"
PATH_OF[departement]="/offres?type=emploi&lieu=29&recherche=1"
# A different search each request (bench/offers_varied.lua): the pages' cache mostly misses.
# Its size and its check are those of this one.
PATH_OF[variee]="/offres?type=emploi&motscles=serveur&lieu=69123&distance=25&recherche=1"

require_load_tools
bench_init offers-pages
echo "== cej bench offres : $N offres sur la France entière, $CORES cœurs, ${DURATION}s par" \
	"mesure, arbre $REV"
busy_before

# 1. The counselor (cej bench-data: conseiller-001), the communes, the demo catalogue — or
#    a copy of CATALOGUE, a database that already holds the last two.
if [ -n "${CATALOGUE:-}" ]; then
	[ -f "$CATALOGUE" ] || die "CATALOGUE=$CATALOGUE : fichier introuvable"
	cp "$CATALOGUE" "$tmp/cej.db"
	echo "   catalogue copié de $CATALOGUE"
	bench_data --conseillers 1 --beneficiaires 1
else
	bench_data --conseillers 1 --beneficiaires 1
	"$CEJ" offers communes import "$ROOT/data/geo/departements.csv" "$ROOT/data/geo/communes.csv" \
		>"$tmp/communes.log" 2>&1 || { cat "$tmp/communes.log" >&2; die "import des communes"; }
	start=$(date +%s)
	"$CEJ" offers demo --seed 42 --per-type $((N / 3)) --days 30 >"$tmp/demo.log" 2>&1 ||
		{ cat "$tmp/demo.log" >&2; die "cej offers demo a échoué"; }
	echo "   catalogue généré et indexé en $(( $(date +%s) - start )) s"
fi
echo "   offres actives : $(sqlite3 "$CEJ_DB_PATH" 'SELECT count(*) FROM offer WHERE active = 1')"

# 2. cej, conseiller-001.
start_cej
login "$EMAIL" "$PASSWORD"

# 3. Each page answers 200 with results; its size. The number: the first offer of the
#    département's page.
page_checks() {   # page file path: the page is the right one
	local out=$2 path=$3
	must_contain "$out" "$path" "Liste des résultats ("
	! grep -q "Liste des résultats (0 offre" "$out" || die "GET $path : aucun résultat"
}
mkdir -p "$tmp/pages"
SIZE_OF[departement]=$(check_page departement "$tmp/pages/departement.html")
NUMBER=$(grep -o 'Offre n°[0-9A-Z]*' "$tmp/pages/departement.html" | head -n1 | sed 's/Offre n°//')
[ -n "$NUMBER" ] || die "aucun numéro d'offre dans ${PATH_OF[departement]}"
PATH_OF[numero]="/offres?type=emploi&numero=$NUMBER&recherche=1"
for page in "${PAGES[@]}"; do
	[ -n "${SIZE_OF[$page]:-}" ] || SIZE_OF[$page]=$(check_page "$page" "$tmp/pages/$page.html")
	printf '   page : %-78s %6s octets, %s\n' "${PATH_OF[$page]}" "${SIZE_OF[$page]}" \
		"$(grep -o 'Liste des résultats ([^)]*)' "$tmp/pages/$page.html" | head -n1)"
done
SCRIPT_OF[variee]=$ROOT/bench/offers_varied.lua
warm_up "${PAGES[@]}"
serve_copies "${PAGES[@]}"

# 4. Load.
load_pages "${PAGES[@]}"

results_table 18
echo
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
p99_verdicts "$TARGET_P99_MS" "${PAGES[@]}"
load_warnings
exit 0
