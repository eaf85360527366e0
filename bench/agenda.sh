#!/usr/bin/env bash
# bench/agenda.sh — load benchmark of the /agenda page (agenda.md §3), each tab beside a
# reference measured in the same run: nginx serving a static file of the same size.
#   - "Mon agenda"              GET /agenda?onglet=conseiller
#   - "Agenda Mission Locale"   GET /agenda?onglet=mission-locale
# The data set (cej bench-data --evenements): one structure of 100 counselors × 50
# beneficiaries, 20 events per counselor per week over a year (26 weeks back, 26 ahead):
# 104,000 events, of which 5,200 animations collectives (one per counselor per week: the
# Mission Locale tab lists 100 of them a week). Target: p99 < 15 ms at 64 connections.
# A benchmark, not a test: it prints numbers and checks them against the target, and exits
# 0 whether or not it is met (non-zero only when the set-up itself fails). See
# bench/README.md, "agenda.sh".
#
#   bench/agenda.sh                    DURATION=10 seconds per wrk run (4 runs)
#   DURATION=3 bench/agenda.sh         a short run, to check that it works
#   BENCH_COUNSELORS=100 BENCH_PER=50 BENCH_EVENTS=20   the data set
#   CEJ_BIN=/path/to/cej NGINX=/usr/sbin/nginx WRK=wrk
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
COUNSELORS=${BENCH_COUNSELORS:-100}
PER=${BENCH_PER:-50}
EVENTS=${BENCH_EVENTS:-20}
TARGET_P99_MS=15

PAGES=(mon-agenda agenda-ml)
declare -A PATH_OF SIZE_OF LABEL_OF
PATH_OF[mon-agenda]="/agenda?onglet=conseiller"
PATH_OF[agenda-ml]="/agenda?onglet=mission-locale"
LABEL_OF[mon-agenda]="Mon agenda"
LABEL_OF[agenda-ml]="Agenda Mission Locale"

require_load_tools
bench_init bench

echo "== cej bench agenda : $COUNSELORS conseillers × $PER bénéficiaires, $EVENTS événements" \
	"par conseiller et par semaine sur un an, $CORES cœurs, ${DURATION}s par mesure, arbre $REV"
busy_before

# 1. Data set: one structure, BENCH001, and its year of events.
bench_data --conseillers "$COUNSELORS" --beneficiaires "$PER" --actions 0 \
	--evenements "$EVENTS"
echo "   données : $(sqlite3 "$tmp/cej.db" "SELECT count(*) FROM event" 2>/dev/null || echo '?') événements"

# 2. cej server.
start_cej

# 2b. Log in as conseiller-001.
login "$EMAIL" "$PASSWORD"

# 3. Each tab answers 200 with its table; its size.
page_checks() {   # page file path: the page is the right one
	local page=$1 out=$2 path=$3
	must_contain "$out" "$path" "Période : du "
	must_contain "$out" "$path" "${LABEL_OF[$page]} du "   # the table's caption: rows listed
}
# Rows of a tab: its "Horaires" cells.
rows_of() { grep -c 'class="cej-nowrap"' "$1" || true; }
mkdir -p "$tmp/pages"
for page in "${PAGES[@]}"; do
	SIZE_OF[$page]=$(check_page "$page" "$tmp/pages/$page.html")
	printf '   page : %-36s %7s octets, %3s lignes (200, contenu vérifié)\n' "${PATH_OF[$page]}" \
		"${SIZE_OF[$page]}" "$(rows_of "$tmp/pages/$page.html")"
done
warm_up "${PAGES[@]}"

# 4. nginx serving, for each page, a static file of exactly the same size
#    (/<page>.html: the page's own copy).
serve_copies "${PAGES[@]}"

# 5. Load. Each run: wrk's output is kept; its numbers are parsed below.
load_pages "${PAGES[@]}"

# 6. Results.
results_table 12
echo
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
p99_verdicts "$TARGET_P99_MS" "${PAGES[@]}"
load_warnings
exit 0
