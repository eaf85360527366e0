#!/usr/bin/env bash
# bench/sessions.sh — the i-milo sessions (issue 13, point 10), beside nginx serving a
# static file of the same size in the same run:
#   - "Agenda Mission Locale" of a structure whose week holds 200 i-milo sessions
#     (GET /agenda?onglet=mission-locale&debut=…: S1 through the simulator, merged with the
#     AC), p99 at 64 connections, the simulator answering at once and then 150 ms late
#     (a fault on S1). cej keeps a structure's period 20 s (src/sessions/sessions_cache.h):
#     the load measures the kept answer; "froide" is one request once it expired, which
#     reads i-milo again (two pages of S1: 150 sessions each).
# A benchmark, not a test: it prints numbers and exits 0 whether or not a target is met
# (non-zero only when the set-up itself fails). See bench/README.md, "sessions.sh".
#
#   bench/sessions.sh                  DURATION=10 seconds per wrk run
#   DURATION=3 bench/sessions.sh       a short run, to check that it works
#   CEJ_BIN=/path/to/cej NGINX=/usr/sbin/nginx WRK=wrk
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
TARGET_P99_MS=15
SESSIONS=200
FIRST_DAY=$(TZ=Europe/Paris date -d '+49 days' +%F)   # the seed's paging week of Paris

PAGES=(agenda-sessions agenda-sessions-150ms)
declare -A PATH_OF SIZE_OF
PATH_OF[agenda-sessions]="/agenda?onglet=mission-locale&debut=$FIRST_DAY"
PATH_OF[agenda-sessions-150ms]=${PATH_OF[agenda-sessions]}

require_load_tools
bench_init sessions
echo "== cej bench sessions : $SESSIONS sessions i-milo sur une semaine, $CORES cœurs," \
	"${DURATION}s par mesure, arbre $REV"
busy_before

# 1. The simulator, cej's database with the demo accounts (sophie.durand: Paris, 75056S00).
start_sim
export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox
"$CEJ" migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; die "cej migrate a échoué"; }
"$CEJ" seed --demo >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; die "cej seed a échoué"; }

# 2. The seed gives Paris 160 sessions that week; the desk adds the rest.
for i in $(seq 161 "$SESSIONS"); do
	day=$(TZ=Europe/Paris date -d "$FIRST_DAY + $((i % 7)) days" +%F)
	sim_admin POST /_admin/sessions "{\"structure\":\"75056S00\",\"offreId\":$((i % 6 + 1)),
		\"nom\":\"Session de charge $i\",\"dateHeureDebut\":\"$day 14:00:00\",
		\"dateHeureFin\":\"$day 16:00:00\",\"nbPlaces\":12}" >/dev/null
done

# 3. cej, and the Paris counselor.
start_cej CEJ_IMILO_API_URL="$SIM_URL"
login sophie.durand@cej-demo.fr Conseiller1!

page_checks() {   # page file path: the page is the right one
	local out=$2 path=$3 rows
	must_contain "$out" "$path" "Agenda Mission Locale du "
	! grep -q "Les sessions i-milo n’ont pas pu être récupérées" "$out" ||
		die "GET $path : i-milo n'a pas répondu"
	rows=$(grep -c 'i-milo</td>' "$out" || true)
	[ "$rows" -ge "$SESSIONS" ] || die "GET $path : $rows sessions au lieu de $SESSIONS"
}
mkdir -p "$tmp/pages"
SIZE_OF[agenda-sessions]=$(check_page agenda-sessions "$tmp/pages/agenda-sessions.html")
cp "$tmp/pages/agenda-sessions.html" "$tmp/pages/agenda-sessions-150ms.html"
SIZE_OF[agenda-sessions-150ms]=${SIZE_OF[agenda-sessions]}
printf '   page : %-48s %7s octets, %s sessions (200, contenu vérifié)\n' \
	"${PATH_OF[agenda-sessions]}" "${SIZE_OF[agenda-sessions]}" "$SESSIONS"
serve_copies agenda-sessions agenda-sessions-150ms

# One request once the kept answer expired: the page reading i-milo (ms).
cold_ms() {
	sleep $((20 + 1))
	curl -sS -o /dev/null -H "Cookie: $COOKIE" -w '%{time_total}' "$CEJ_URL${PATH_OF[agenda-sessions]}" |
		awk '{ printf "%.1f", $1 * 1000 }'
}

load_begin
run_wrk agenda-sessions cej "$CONNS"
run_wrk agenda-sessions nginx "$CONNS"
COLD_0=$(cold_ms)
sim_admin POST /_admin/faults '{"match":{"path":"/operateurs/structures/*"},"latencyMs":150}' >/dev/null
COLD_150=$(cold_ms)
run_wrk agenda-sessions-150ms cej "$CONNS"
run_wrk agenda-sessions-150ms nginx "$CONNS"
load_end
check_page agenda-sessions >/dev/null

results_table 22
echo
echo "page froide (S1 relu, 2 pages) : ${COLD_0} ms i-milo immédiat ; ${COLD_150} ms i-milo à 150 ms"
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
p99_verdicts "$TARGET_P99_MS" "${PAGES[@]}"
load_warnings
exit 0
