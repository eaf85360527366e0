#!/usr/bin/env bash
# bench/national.sh — the counselor pages at national size (issue 14 point 7), each beside
# nginx serving a static file of the same size in the same run, like bench/run.sh:
#   - the portfolio                  GET /portefeuille (conseiller-001: the median portfolio, 13)
#   - the fiche with most actions    GET /beneficiaires/{id} (500 actions)
#   - the longest conversation       GET /conversations/{id} (5,000 messages)
#   - "Bénéficiaires" search         GET /etablissement?q=… in the largest Mission Locale
#   - Pilotage                       GET /pilotage
# on the data set of `cej bench-data --national` (bench/README.md "National": ≈ 450 Missions
# Locales, 10,000 counselors, 150,000 beneficiaries, 3 million actions, 10 million messages,
# a year of agenda). Prints the load time, the database size, the table of p50/p99/req/s
# and the target: every page p99 < 20 ms at 64 connections. A benchmark, not a test: exits
# 0 whether or not the targets are met (non-zero only when the set-up fails).
#
#   bench/national.sh                        generates the nation in a temporary folder
#   bench/national.sh --reuse DIR            keeps the data in DIR: generated there on the
#                                            first run, reused by the next ones
#   ECHELLE=0.1 bench/national.sh            a fraction of the nation (default 1)
#   GRAINE=1                                 seed of the data set
#   DURATION=30 bench/national.sh            seconds per wrk run (default 10; 10 runs)
#   BENCH_CONNS=4 DURATION=2                 a smoke check (default 64 connections)
#   CEJ_DATABASE_URL=postgres://…            the same on PostgreSQL: the nation is generated
#                                            on SQLite in DIR as above (or reused), then
#                                            copied into this database when it is empty
#                                            (cej admin copier-vers-postgres, timed: the
#                                            load time on PostgreSQL is both); its size
#                                            from pg_database_size
#   NODES=2 (with CEJ_DATABASE_URL)          the pages through an nginx load balancer in
#                                            front of two cej nodes on that database
#   CEJ_BIN, NGINX, WRK                      as for bench/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
CONNS=${BENCH_CONNS:-64}
SCALE=${ECHELLE:-1}
SEED=${GRAINE:-1}
TARGET_P99_MS=20

REUSE=
while [ $# -gt 0 ]; do
	case $1 in
	--reuse) [ $# -ge 2 ] || { echo "national.sh : --reuse DOSSIER" >&2; exit 2; }
		REUSE=$2; shift 2 ;;
	*) echo "national.sh : option inconnue « $1 » (voir l'en-tête du script)" >&2; exit 2 ;;
	esac
done

PAGES=(portefeuille fiche conversation recherche pilotage)
declare -A PATH_OF SIZE_OF LABEL_OF
PATH_OF[portefeuille]=/portefeuille
PATH_OF[pilotage]=/pilotage

require_load_tools
bench_init national
NODES=${NODES:-1}
ENGINE=SQLite
[ -n "${CEJ_DATABASE_URL:-}" ] && ENGINE=PostgreSQL
[ "$NODES" -gt 1 ] && ENGINE="$ENGINE, $NODES nœuds derrière nginx"
echo "== cej bench national : ${#PAGES[@]} pages, échelle $SCALE, $ENGINE, $CORES cœurs," \
	"${DURATION}s par mesure à $CONNS connexions, arbre $REV"
busy_before

# 1. The data set: in DIR (kept) with --reuse, else in $tmp. national.txt keeps what the
#    generator printed (the pages, its load time), so that a reuse knows them too.
DATA=${REUSE:-$tmp/data}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
export CEJ_DB_PATH=$DATA/cej.db CEJ_MESSAGE_KEY_FILE=$DATA/cles-messages CEJ_QUIET=true \
	CEJ_MAIL_TRANSPORT=file:$tmp/outbox CEJ_IMILO_API_URL=http://127.0.0.1:1
if [ -s "$DATA/national.txt" ]; then
	echo "   données réutilisées : $DATA (générées par une exécution précédente)"
else
	echo "   génération (cej bench-data --national --echelle $SCALE --graine $SEED) …"
	env -u CEJ_DATABASE_URL nice -n 19 "$CEJ" bench-data --national --echelle "$SCALE" --graine "$SEED" \
		>"$DATA/national.new" 2>"$tmp/bench-data.err" ||
		{ cat "$tmp/bench-data.err" >&2; die "cej bench-data --national a échoué"; }
	mv "$DATA/national.new" "$DATA/national.txt"
fi
sed 's/^/   données : /' "$DATA/national.txt"
field() { sed -n "s/^$1 : //p" "$DATA/national.txt" | head -n1; }
EMAIL=$(field connexion | cut -d' ' -f1)
PATH_OF[fiche]=$(field fiche | cut -d' ' -f1)
PATH_OF[conversation]=$(field conversation | cut -d' ' -f1)
PATH_OF[recherche]=$(field recherche)
LOAD=$(field chargement)
FICHE_ACTIONS=$(field fiche | sed -n 's/.*(\([0-9]*\) actions).*/\1/p')
PORTFOLIO=$(field connexion | sed -n 's/.*portefeuille de \([0-9]*\)).*/\1/p')
CONV_MESSAGES=$(field conversation | sed -n 's/.*(\([0-9]*\) messages).*/\1/p')
for page in "${PAGES[@]}"; do
	[ -n "${PATH_OF[$page]}" ] || die "$DATA/national.txt ne dit pas quelle page mesurer ($page)"
done
if [ -n "${CEJ_DATABASE_URL:-}" ]; then
	command -v psql >/dev/null || die "psql introuvable (paquet postgresql-client)"
	# The copy into an empty database, timed once; DATA/copie-postgres.txt keeps it.
	FULL=$(psql "$CEJ_DATABASE_URL" -Atc "SELECT to_regclass('public.beneficiary') IS NOT NULL") ||
		die "psql ne joint pas CEJ_DATABASE_URL"
	[ "$FULL" = t ] && FULL=$(psql "$CEJ_DATABASE_URL" -Atc "SELECT EXISTS (SELECT 1 FROM beneficiary)")
	if [ "$FULL" != t ]; then
		echo "   copie de $CEJ_DB_PATH vers PostgreSQL (cej admin copier-vers-postgres) …"
		t0=$(date +%s.%N)
		env -u CEJ_DATABASE_URL "$CEJ" admin copier-vers-postgres "$CEJ_DB_PATH" "$CEJ_DATABASE_URL" \
			>"$tmp/copie.log" 2>&1 || { cat "$tmp/copie.log" >&2; die "la copie vers PostgreSQL a échoué"; }
		awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "copie vers PostgreSQL : %.1f s\n", b - a }' \
			>"$DATA/copie-postgres.txt"
		grep -v ' info ' "$tmp/copie.log" >>"$DATA/copie-postgres.txt" || true
	fi
	[ -s "$DATA/copie-postgres.txt" ] && LOAD="$LOAD sur SQLite + $(sed -n 's/^copie vers PostgreSQL : //p' "$DATA/copie-postgres.txt" | head -n1) de copie"
	SIZE=$(psql "$CEJ_DATABASE_URL" -Atc \
		"SELECT pg_size_pretty(pg_database_size(current_database()))") ||
		die "psql ne joint pas CEJ_DATABASE_URL"
else
	SIZE="$(du -sh --apparent-size "$CEJ_DB_PATH" | cut -f1) ($CEJ_DB_PATH)"
fi
LABEL_OF[portefeuille]="portefeuille (conseiller-001, $PORTFOLIO bénéficiaires)"
LABEL_OF[fiche]="fiche bénéficiaire ($FICHE_ACTIONS actions)"
LABEL_OF[conversation]="conversation ($CONV_MESSAGES messages)"
LABEL_OF[recherche]="recherche ${PATH_OF[recherche]#*q=} (la plus grande Mission Locale)"
LABEL_OF[pilotage]="pilotage"

# 2. cej server, 3. the login of the bench account.
start_cej_nodes "$NODES"
login "$EMAIL" "$PASSWORD"

# 4. Each page answers 200 with the expected content; its size.
# Number N of "Résultat de recherche (N)" in a search page.
search_total() { sed -n 's/.*Résultat de recherche (\([0-9]*\)).*/\1/p' "$1" | head -n1; }
page_checks() {   # page file path: the page is the right one
	local page=$1 out=$2 path=$3
	case $page in
	portefeuille) must_contain "$out" "$path" "Liste des bénéficiaires" ;;
	fiche)
		must_contain "$out" "$path" "Fiche bénéficiaire"
		must_contain "$out" "$path" "Actions ($FICHE_ACTIONS)"
		;;
	conversation)
		must_contain "$out" "$path" "Discuter avec"
		# Decrypted with the key file the generator used.
		grep -qE "demain matin|bien reçu|inscrivez-moi|serai là|dossier|entretien" "$out" ||
			die "GET $path : aucun message lisible"
		;;
	recherche)
		must_contain "$out" "$path" "Résultat de recherche ("
		[ "$(search_total "$out")" -gt 0 ] 2>/dev/null || die "GET $path : aucun résultat"
		;;
	pilotage) must_contain "$out" "$path" "Pilotage" ;;
	esac
}
mkdir -p "$tmp/pages"
for page in "${PAGES[@]}"; do
	SIZE_OF[$page]=$(check_page "$page" "$tmp/pages/$page.html")
	note=
	[ "$page" = recherche ] && note=" ; $(search_total "$tmp/pages/$page.html") résultats"
	printf '   page : %-60s %7s octets (200, contenu vérifié%s)\n' "${PATH_OF[$page]}" \
		"${SIZE_OF[$page]}" "$note"
done
warm_up "${PAGES[@]}"

# 5. nginx serving a same-size copy of each page; 6. the load.
serve_copies "${PAGES[@]}"
load_pages "${PAGES[@]}"

# 7. Results.
results_table 14
echo
echo "moteur : $ENGINE ; chargement des données : ${LOAD:-?} ; taille de la base : $SIZE"
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
p99_verdicts "$TARGET_P99_MS" "${PAGES[@]}"
load_warnings
exit 0
