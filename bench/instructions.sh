#!/usr/bin/env bash
# bench/instructions.sh — CPU instructions per request of the counselor's pages, counted
# by valgrind's callgrind. Unlike bench/run.sh (wrk beside nginx, which needs a quiet
# machine), a count of instructions is the same whatever else the machine does: it
# compares two trees (CEJ_BIN) or two commits on a busy machine. It prints numbers; it
# passes or fails nothing.
#
#   bench/instructions.sh                       build/cej of this tree
#   CEJ_BIN=/other/tree/build/cej bench/instructions.sh
#   N=200 BENCH_COUNSELORS=40 bench/instructions.sh
#   KEEP=/tmp/cg bench/instructions.sh           keeps each page's dump for callgrind_annotate
#   BENCH_EVENTS=20 BENCH_COUNSELORS=100 bench/instructions.sh   + the two tabs of /agenda
#                                    (20 events per counselor a week over a year, bench/agenda.sh)
#   KEEPALIVE=1 bench/instructions.sh    the N requests on one connection, like wrk's: without
#                                    the accept, the connection's set-up and close of each curl
#
# What it does: a temporary database from `cej bench-data` (40 counselors × 50
# beneficiaries by default: the portfolio, the fiche and Pilotage only read the
# counselor's rows), `cej serve` under callgrind with one server thread, login as
# conseiller-001, 5 warm-up requests per page, then for each page: counters zeroed, N
# requests with curl, counters dumped; instructions / N.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CEJ=${CEJ_BIN:-$ROOT/build/cej}
N=${N:-100}
COUNSELORS=${BENCH_COUNSELORS:-40}
PER=${BENCH_PER:-50}
EVENTS=${BENCH_EVENTS:-0}
EMAIL=conseiller-001@cej-bench.fr
PASSWORD=Bench-Passw0rd

die() { echo "instructions.sh : $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind introuvable"
[ -x "$CEJ" ] || die "$CEJ introuvable (make build)"

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox \
	CEJ_IMILO_API_URL=http://127.0.0.1:1 CEJ_THREADS=1
"$CEJ" bench-data --conseillers "$COUNSELORS" --beneficiaires "$PER" --evenements "$EVENTS" \
	>"$tmp/data.log" 2>&1 ||
	{ cat "$tmp/data.log" >&2; die "cej bench-data a échoué"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)))
CEJ_PORT=$port valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$tmp/cg.%p" \
	"$CEJ" serve >"$tmp/serve.log" 2>&1 &
pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 300); do
	curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "cej serve s'est arrêté"; }
	sleep 0.2
done

jar=$tmp/jar
curl -fsS -c "$jar" -o "$tmp/login.html" "$url/connexion"
csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n1)
status=$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "_csrf=$csrf" \
	--data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$url/connexion")
[ "$status" = 303 ] || die "POST /connexion : $status"
curl -fsS -b "$jar" -o "$tmp/portfolio.html" "$url/portefeuille"
fiche=$(grep -o 'href="/beneficiaires/[0-9a-f-]\{36\}"' "$tmp/portfolio.html" | head -n1 | cut -d'"' -f2)
[ -n "$fiche" ] || die "aucune fiche dans le portefeuille"

measure() {   # label path
	local label=$1 path=$2 i
	for i in 1 2 3 4 5; do curl -fsS -b "$jar" -o /dev/null "$url$path"; done
	callgrind_control -z "$pid" >/dev/null 2>&1
	if [ -n "${KEEPALIVE:-}" ]; then
		local args=()
		for ((i = 0; i < N; i++)); do args+=(-o /dev/null "$url$path"); done
		curl -fsS -b "$jar" "${args[@]}"
	else
		for ((i = 0; i < N; i++)); do curl -fsS -b "$jar" -o /dev/null "$url$path"; done
	fi
	callgrind_control -d "$label" "$pid" >/dev/null 2>&1
	local f ir
	f=$(ls -t "$tmp"/cg.* | head -n1)
	ir=$(awk '/^summary:|^totals:/ { print $2; exit }' "$f")
	printf '  %-28s %10d instructions par requête\n' "$label" $((ir / N))
	if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$f" "$KEEP/${label// /_}.cg"; fi
}

echo "== Instructions par requête ($N requêtes chacune${KEEPALIVE:+ sur une connexion}, $COUNSELORS × $PER, $(basename "$(dirname "$(dirname "$CEJ")")"))"
measure portefeuille /portefeuille
measure fiche "$fiche"
measure pilotage /pilotage
measure "etablissement q=ma" "/etablissement?q=ma"
if [ "$EVENTS" -gt 0 ]; then
	measure "agenda : mon agenda" "/agenda?onglet=conseiller"
	measure "agenda : mission locale" "/agenda?onglet=mission-locale"
fi
