#!/usr/bin/env bash
# bench/run.sh — load benchmark of three counselor pages, each beside a reference measured
# in the same run: nginx serving a static file of the same size on the same machine.
#   - the portfolio                GET /portefeuille
#   - a beneficiary's fiche         GET /beneficiaires/{id} (one of conseiller-001's)
#   - the structure-wide search     GET /etablissement?q=… on the whole structure
#     (the default data set is one structure of 400 × 50 = 20,000 beneficiaries)
#   - Pilotage                      GET /pilotage: the 2,000 actions to qualify of
#     conseiller-001's portfolio (each of its 50 beneficiaries has 500 actions, so the
#     fiche above lists 500)
# A benchmark, not a test: it prints numbers and checks them against the targets, and
# exits 0 whether or not they are met (non-zero only when the set-up itself fails).
# See bench/README.md.
#
#   bench/run.sh                       (or: make bench, from the repository root)
#   DURATION=30 bench/run.sh           seconds per wrk run (default 10; 12 runs)
#   BENCH_COUNSELORS=400 BENCH_PER=50  data set: counselors × beneficiaries each
#   CEJ_BIN=/path/to/cej               binary (default: build/cej of this repository)
#   NGINX=/usr/sbin/nginx WRK=wrk      tools
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
COUNSELORS=${BENCH_COUNSELORS:-400}
PER=${BENCH_PER:-50}

# Targets from the issues, at 64 connections.
TARGET_P99_MS=20          # portfolio p99
TARGET_RATIO_PCT=50       # portfolio: cej throughput as a share of nginx's
TARGET_IDLE_MB=30         # idle RSS
TARGET_FICHE_P99_MS=20    # fiche p99
TARGET_SEARCH_P99_MS=30   # structure-wide search p99 (each of the three searches)
TARGET_PILOTAGE_P99_MS=20 # Pilotage with 2,000 actions to qualify

# The measured pages, in the order of the runs. Their paths are set once the fiche's id
# is known (step 4).
PAGES=(portefeuille fiche recherche-ma recherche-ma-p50 recherche-lefevre pilotage)
declare -A PATH_OF SIZE_OF TARGET_OF LABEL_OF
PATH_OF[portefeuille]=/portefeuille
PATH_OF[recherche-ma]="/etablissement?q=ma"
PATH_OF[recherche-ma-p50]="/etablissement?q=ma&page=50"
PATH_OF[recherche-lefevre]="/etablissement?q=lefevre"
PATH_OF[pilotage]=/pilotage
TARGET_OF[portefeuille]=$TARGET_P99_MS
TARGET_OF[fiche]=$TARGET_FICHE_P99_MS
TARGET_OF[recherche-ma]=$TARGET_SEARCH_P99_MS
TARGET_OF[recherche-ma-p50]=$TARGET_SEARCH_P99_MS
TARGET_OF[recherche-lefevre]=$TARGET_SEARCH_P99_MS
TARGET_OF[pilotage]=$TARGET_PILOTAGE_P99_MS
LABEL_OF[portefeuille]="portefeuille"
LABEL_OF[fiche]="fiche bénéficiaire (500 actions)"
LABEL_OF[pilotage]="pilotage (2 000 actions à qualifier)"
LABEL_OF[recherche-ma]="recherche « ma »"
LABEL_OF[recherche-ma-p50]="recherche « ma » page 50"
LABEL_OF[recherche-lefevre]="recherche « lefevre »"

require_load_tools
bench_init bench

echo "== cej bench : ${#PAGES[@]} pages ($COUNSELORS conseillers × $PER bénéficiaires," \
	"une structure), $CORES cœurs, ${DURATION}s par mesure, arbre $REV"
busy_before

# 1. Data set: one structure, BENCH001.
bench_data --conseillers "$COUNSELORS" --beneficiaires "$PER"

# 2. cej server.
start_cej

# 3. Log in as conseiller-001.
login "$EMAIL" "$PASSWORD"

# 4. Each page answers 200 with the expected content; its size.
# Number N of "Résultat de recherche (N)" in a search page.
search_total() { sed -n 's/.*Résultat de recherche (\([0-9]*\)).*/\1/p' "$1" | head -n1; }
page_checks() {   # page file path: the page is the right one
	local page=$1 out=$2 path=$3
	case $page in
	portefeuille*) must_contain "$out" "$path" "Liste des bénéficiaires" ;;
	fiche)
		must_contain "$out" "$path" "Fiche bénéficiaire"
		# The form only a fiche of one's own portfolio has (write access, no audit row).
		must_contain "$out" "$path" "action=\"$path/actualiser\""
		must_contain "$out" "$path" "Actions (500)"
		;;
	pilotage) must_contain "$out" "$path" "Pilotage" ;;
	recherche-*)
		must_contain "$out" "$path" "Résultat de recherche ("
		[ "$(search_total "$out")" -gt 0 ] 2>/dev/null || die "GET $path : aucun résultat"
		;;
	esac
	case $page in
	recherche-ma-p50) must_contain "$out" "$path" 'aria-current="page" title="Page 50"' ;;
	recherche-lefevre) must_contain "$out" "$path" "LEFÈVRE" ;;   # accent-insensitive
	esac
}
mkdir -p "$tmp/pages"
SIZE_OF[portefeuille]=$(check_page portefeuille "$tmp/pages/portefeuille.html")
PATH_OF[portefeuille-p3]="/portefeuille?tri=activite&ordre=desc&page=3"
SIZE_P3=$(check_page portefeuille-p3)
# The fiche: the first beneficiary of the portfolio's first page.
FICHE_ID=$(grep -o 'href="/beneficiaires/[0-9a-f-]\{36\}"' "$tmp/pages/portefeuille.html" |
	head -n1 | sed 's|.*/beneficiaires/\([0-9a-f-]*\)"|\1|')
[ -n "$FICHE_ID" ] || die "aucun lien vers une fiche dans /portefeuille"
PATH_OF[fiche]=/beneficiaires/$FICHE_ID
for page in "${PAGES[@]}"; do
	[ -n "${SIZE_OF[$page]:-}" ] || SIZE_OF[$page]=$(check_page "$page" "$tmp/pages/$page.html")
	note=
	[[ $page == recherche-* ]] && note=" ; $(search_total "$tmp/pages/$page.html") résultats"
	printf '   page : %-51s %6s octets (200, contenu vérifié%s)\n' "${PATH_OF[$page]}" \
		"${SIZE_OF[$page]}" "$note"
done
echo "   page : ${PATH_OF[portefeuille-p3]} = $SIZE_P3 octets (200, contenu vérifié)"

# Warm-up (every page), then the idle footprint.
warm_up "${PAGES[@]}"
sleep 1
IDLE_MB=$(mem_mb "$cej_pid" VmRSS)
# The peak so far is the login's (Argon2id, 64 MiB per password check): shown apart, then
# reset (writing 5 to clear_refs resets VmHWM) so that the peak after the load is the load's.
LOGIN_PEAK_MB=$(mem_mb "$cej_pid" VmHWM)
PEAK_NOTE="VmHWM pendant la charge"
if ! { echo 5 >"/proc/$cej_pid/clear_refs"; } 2>/dev/null; then
	PEAK_NOTE="VmHWM depuis le démarrage, connexion comprise : clear_refs refusé"
fi

# 5. nginx serving, for each page, a static file of exactly the same size
#    (/<page>.html: the page's own copy).
serve_copies "${PAGES[@]}"

# 6. Load. Each run: wrk's output is kept; its numbers are parsed below.
load_begin
run_wrk portefeuille cej "$CONNS"
run_wrk portefeuille nginx "$CONNS"
run_wrk portefeuille cej 1
run_wrk portefeuille nginx 1
for page in "${PAGES[@]:1}"; do
	run_wrk "$page" cej "$CONNS"
	run_wrk "$page" nginx "$CONNS"
done
load_end
PEAK_MB=$(mem_mb "$cej_pid" VmHWM)
# The session must still be valid: otherwise the runs measured redirects, not the pages.
for page in "${PAGES[@]}"; do check_page "$page" >/dev/null; done

# 7. Results.
results_table 18
RATIO=$(ratio portefeuille "$CONNS")
echo
echo "cej : RSS au repos ${IDLE_MB} MB (VmRSS après l'échauffement de toutes les pages), pic ${PEAK_MB} MB ($PEAK_NOTE)"
echo "      (pic pendant la connexion, avant la charge : ${LOGIN_PEAK_MB} MB — Argon2id, 64 MiB par vérification)"
echo "fiche : ${PATH_OF[fiche]}"
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
printf '%-8s %-12s %s\n' verdict "mesure" objectif
for page in "${PAGES[@]}"; do
	p99=${P99[$page/cej-c$CONNS]}
	printf '%-8s %-12s %s\n' "$(verdict "$p99" '<' "${TARGET_OF[$page]}")" "$p99 ms" \
		"${LABEL_OF[$page]} : p99 < ${TARGET_OF[$page]} ms à $CONNS connexions"
	if [ "$page" = portefeuille ]; then
		printf '%-8s %-12s %s\n' "$(verdict "$RATIO" '>=' "$TARGET_RATIO_PCT")" "${RATIO} %" \
			"portefeuille : débit ≥ ${TARGET_RATIO_PCT} % de celui de nginx à $CONNS connexions"
	fi
done
printf '%-8s %-12s %s\n' "$(verdict "$IDLE_MB" '<' "$TARGET_IDLE_MB")" \
	"${IDLE_MB} MB" "RSS au repos < ${TARGET_IDLE_MB} MB"
load_warnings
exit 0
