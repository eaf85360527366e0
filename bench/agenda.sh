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
CEJ=${CEJ_BIN:-$ROOT/build/cej}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
DURATION=${DURATION:-10}
COUNSELORS=${BENCH_COUNSELORS:-100}
PER=${BENCH_PER:-50}
EVENTS=${BENCH_EVENTS:-20}
CONNS=64
CORES=$(nproc 2>/dev/null || echo 2)
EMAIL=conseiller-001@cej-bench.fr
PASSWORD=Bench-Passw0rd
TARGET_P99_MS=15

PAGES=(mon-agenda agenda-ml)
declare -A PATH_OF SIZE_OF LABEL_OF
PATH_OF[mon-agenda]="/agenda?onglet=conseiller"
PATH_OF[agenda-ml]="/agenda?onglet=mission-locale"
LABEL_OF[mon-agenda]="Mon agenda"
LABEL_OF[agenda-ml]="Agenda Mission Locale"

die() { echo "bench: $*" >&2; exit 1; }
for tool in "$WRK" "$NGINX" curl; do
	command -v "$tool" >/dev/null || die "$tool introuvable (paquets Debian : wrk nginx-light curl)"
done
[ -x "$CEJ" ] || die "$CEJ introuvable : lancez d'abord « ninja -C build » ou « make build »"
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "DURATION doit être un nombre de secondes"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cej-bench.XXXXXX")
cej_pid= nginx_pid= wrk_pid=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$wrk_pid" ]; then kill -TERM "$wrk_pid" 2>/dev/null || true; fi
	if [ -n "$cej_pid" ] && kill -0 "$cej_pid" 2>/dev/null; then
		kill -TERM "$cej_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$cej_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$cej_pid" 2>/dev/null || true
	fi
	if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
		kill -TERM "$nginx_pid" 2>/dev/null || true   # fast shutdown; the master stops its workers
		for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$nginx_pid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
interrupted() { echo; echo "bench: interrompu" >&2; exit 130; }
trap interrupted INT TERM

# A loopback port nothing listens on (the server is started right after; a start failure
# is retried with another port by the callers).
free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "aucun port libre trouvé"
}

# Resident memory of a process in MB (field VmRSS or VmHWM of /proc/PID/status).
mem_mb() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# CPU time (user + system) in clock ticks of a process and its threads.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ... of the nginx master and its workers.
nginx_ticks() {
	local t=0 p workers
	# The workers are the master's children (procps may be absent: /proc first).
	workers=$(cat "/proc/$nginx_pid/task/$nginx_pid/children" 2>/dev/null ||
		ps -o pid= --ppid "$nginx_pid" 2>/dev/null || true)
	for p in $nginx_pid $workers; do
		t=$((t + $(cpu_ticks "$p")))
	done
	echo "$t"
}
# ... of the server a run targets ("cej" or "nginx").
server_ticks() { if [ "$1" = cej ]; then cpu_ticks "$cej_pid"; else nginx_ticks; fi; }
HZ=$(getconf CLK_TCK)

REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")
echo "== cej bench agenda : $COUNSELORS conseillers × $PER bénéficiaires, $EVENTS événements" \
	"par conseiller et par semaine sur un an, $CORES cœurs, ${DURATION}s par mesure, arbre $REV"
# Other work on the machine skews every number (wrk, cej and nginx already share the cores):
# how busy the CPUs are over one second before the start, in %.
cpu_busy_pct() {
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		busy = y[1] - x[1]; all = busy + y[2] - x[2];
		printf "%.0f", (all > 0 ? 100 * busy / all : 0) }'
}
BUSY_BEFORE=$(cpu_busy_pct)
if [ "$BUSY_BEFORE" -gt 10 ]; then
	echo "   attention : CPU occupé à $BUSY_BEFORE % avant le début ; d'autres processus faussent les mesures"
fi

# 1. Data set: one structure, BENCH001, and its year of events.
export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox \
	CEJ_IMILO_API_URL=http://127.0.0.1:1
"$CEJ" bench-data --conseillers "$COUNSELORS" --beneficiaires "$PER" --actions 0 \
	--evenements "$EVENTS" >"$tmp/bench-data.log" 2>&1 ||
	{ cat "$tmp/bench-data.log" >&2; die "cej bench-data a échoué"; }
grep -v ' info ' "$tmp/bench-data.log" | sed 's/^/   données : /'
echo "   données : $(sqlite3 "$tmp/cej.db" "SELECT count(*) FROM event" 2>/dev/null || echo '?') événements"

# 2. cej server.
start_cej() {
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		# Every connection of the load comes from loopback: no per-address caps.
		CEJ_PORT=$port CEJ_CONNECTIONS_PER_ADDRESS=0 CEJ_STREAMS_PER_ADDRESS=0 \
			"$CEJ" serve >"$tmp/cej.log" 2>&1 &
		cej_pid=$!
		for _ in $(seq 100); do
			if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
				CEJ_URL=http://127.0.0.1:$port
				return 0
			fi
			kill -0 "$cej_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$cej_pid" 2>/dev/null || true
		wait "$cej_pid" 2>/dev/null || true
		cej_pid=
	done
	cat "$tmp/cej.log" >&2
	die "cej serve ne répond pas sur /healthz"
}
start_cej

# 2b. Log in as conseiller-001: the login form sets cej_csrf and carries it in _csrf.
jar=$tmp/cookies
curl -fsS -c "$jar" -o "$tmp/login.html" "$CEJ_URL/connexion" || die "GET /connexion a échoué"
csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n1)
[ -n "$csrf" ] || die "champ _csrf absent de /connexion"
status=$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
	--data-urlencode "_csrf=$csrf" --data-urlencode "email=$EMAIL" \
	--data-urlencode "password=$PASSWORD" "$CEJ_URL/connexion")
[ "$status" = 303 ] || die "POST /connexion : $status au lieu de 303"
session=$(awk '$6 == "cej_session" { print $7 }' "$jar")
[ -n "$session" ] || die "pas de cookie cej_session après la connexion"
COOKIE="cej_csrf=$csrf; cej_session=$session"

# 3. Each tab answers 200 with its table; its size.
must_contain() {   # file path text
	grep -qF -- "$3" "$1" || die "GET $2 : « $3 » absent"
}
check_page() {   # page [copy of the body] → prints the body size
	local page=$1 out=${2:-$tmp/check.html} path=${PATH_OF[$1]} code
	code=$(curl -sS -H "Cookie: $COOKIE" -o "$out" -w '%{http_code}' "$CEJ_URL$path")
	[ "$code" = 200 ] || die "GET $path : $code au lieu de 200"
	must_contain "$out" "$path" "Période : du "
	must_contain "$out" "$path" "${LABEL_OF[$page]} du "   # the table's caption: rows listed
	stat -c %s "$out"
}
# Rows of a tab: its "Horaires" cells.
rows_of() { grep -c 'class="cej-nowrap"' "$1" || true; }
mkdir -p "$tmp/pages"
for page in "${PAGES[@]}"; do
	SIZE_OF[$page]=$(check_page "$page" "$tmp/pages/$page.html")
	printf '   page : %-36s %7s octets, %3s lignes (200, contenu vérifié)\n' "${PATH_OF[$page]}" \
		"${SIZE_OF[$page]}" "$(rows_of "$tmp/pages/$page.html")"
done
for page in "${PAGES[@]}"; do
	for _ in $(seq 20); do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "$CEJ_URL${PATH_OF[$page]}"; done
done

# 4. nginx serving, for each page, a static file of exactly the same size
#    (/<page>.html: the page's own copy).
mkdir -p "$tmp/nginx/www" "$tmp/nginx/tmp"
for page in "${PAGES[@]}"; do
	cp "$tmp/pages/$page.html" "$tmp/nginx/www/$page.html"
	[ "$(stat -c %s "$tmp/nginx/www/$page.html")" = "${SIZE_OF[$page]}" ] ||
		die "fichier statique de taille incorrecte ($page)"
done
# As root, nginx workers run as "nobody": let them reach the files (the temp dir stays
# unlistable to others).
chmod 711 "$tmp"
chmod 755 "$tmp/nginx" "$tmp/nginx/www"
chmod 644 "$tmp/nginx/www/"*.html
start_nginx() {
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		cat >"$tmp/nginx/nginx.conf" <<-EOF
			worker_processes $CORES;
			daemon off;
			pid $tmp/nginx/nginx.pid;
			error_log $tmp/nginx/error.log warn;
			events { worker_connections 1024; }
			http {
			    access_log off;
			    sendfile on;
			    tcp_nopush on;
			    keepalive_timeout 65;
			    keepalive_requests 1000000;
			    client_body_temp_path $tmp/nginx/tmp/body;
			    proxy_temp_path $tmp/nginx/tmp/proxy;
			    fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
			    uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
			    scgi_temp_path $tmp/nginx/tmp/scgi;
			    types { text/html html; }
			    default_type text/html;
			    server {
			        listen 127.0.0.1:$port;
			        root $tmp/nginx/www;
			    }
			}
		EOF
		"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
			>"$tmp/nginx/stdout.log" 2>&1 &
		nginx_pid=$!
		for _ in $(seq 50); do
			if curl -fsS -o /dev/null "http://127.0.0.1:$port/mon-agenda.html" 2>/dev/null; then
				NGINX_URL=http://127.0.0.1:$port
				return 0
			fi
			kill -0 "$nginx_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
		nginx_pid=
	done
	cat "$tmp/nginx/stdout.log" "$tmp/nginx/error.log" >&2 2>/dev/null || true
	die "nginx ne démarre pas"
}
start_nginx
for page in "${PAGES[@]}"; do
	ngsize=$(curl -fsS -o /dev/null -w '%{size_download}' "$NGINX_URL/$page.html")
	[ "$ngsize" = "${SIZE_OF[$page]}" ] || die "nginx sert $ngsize octets au lieu de ${SIZE_OF[$page]} ($page)"
done

# 5. Load. Each run: wrk's output is kept; its numbers are parsed below.
to_ms() {   # "15.05ms" / "812.00us" / "1.02s" / "2.00m" → milliseconds
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) printf "%.2f", v / 1000;
		else if (v ~ /ms$/) printf "%.2f", v + 0;
		else if (v ~ /m$/) printf "%.2f", v * 60000;
		else if (v ~ /s$/) printf "%.2f", v * 1000;
		else printf "?" }'
}
declare -A RPS P50 P99 ERR CPU
RUNS=()
run_wrk() {   # page server(cej|nginx) connections
	local page=$1 server=$2 c=$3 threads=2 before after url rc
	local name=$page/$server-c$c
	local out=$tmp/wrk-$page-$server-c$c.txt
	[ "$c" -lt 2 ] && threads=1
	local args=(-t"$threads" -c"$c" -d"${DURATION}s" --latency)
	local pid=$nginx_pid
	if [ "$server" = cej ]; then
		url=$CEJ_URL${PATH_OF[$page]}
		args+=(-H "Cookie: $COOKIE")
		pid=$cej_pid
	else
		url=$NGINX_URL/$page.html
	fi
	printf '   %-32s wrk %s %s … ' "$name" "${args[*]:0:4}" "$url"
	before=$(server_ticks "$server")
	# In the background and waited for, so that Ctrl-C reaches the trap at once.
	"$WRK" "${args[@]}" "$url" >"$out" 2>&1 &
	wrk_pid=$!
	# Ctrl-C reaches wrk too (same process group): a wrk ended by a signal is an interruption.
	wait "$wrk_pid" || { rc=$?; [ "$rc" -gt 128 ] && interrupted; cat "$out" >&2; die "wrk a échoué ($name)"; }
	wrk_pid=
	kill -0 "$pid" 2>/dev/null || die "le serveur ($name) s'est arrêté pendant la mesure"
	after=$(server_ticks "$server")
	RPS[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	P50[$name]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	P99[$name]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	local total non2xx sock
	total=$(awk '/requests in/ { print $1 }' "$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	sock=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")
	ERR[$name]=$(( ${non2xx:-0} + ${sock:-0} ))
	# CPU spent by the server per request, in ms (all its threads / processes).
	CPU[$name]=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="${total:-0}" \
		'BEGIN { if (n > 0) printf "%.3f", t / hz * 1000 / n; else print "?" }')
	RUNS+=("$name")
	echo "${RPS[$name]} req/s"
}
# CPU time in ticks of the whole machine (user, system, irq, softirq: the loopback traffic
# is partly softirq) and of this benchmark's own processes: cej, nginx, this script and
# the children it has waited for (wrk, curl…). Their difference over the load is an
# estimate of what other processes took (≈ 0 on a quiet machine).
all_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
own_ticks() {
	echo $(( $(cpu_ticks "$cej_pid") + $(nginx_ticks) +
		$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat") ))
}
echo "== Charge (wrk ; wrk tourne sur la même machine et partage les $CORES cœurs)"
LOAD_START=$(date +%s.%N) ALL_BEFORE=$(all_ticks) OWN_BEFORE=$(own_ticks)
for page in "${PAGES[@]}"; do
	run_wrk "$page" cej "$CONNS"
	run_wrk "$page" nginx "$CONNS"
done
OTHERS_PCT=$(awk -v a=$(($(all_ticks) - ALL_BEFORE)) -v o=$(($(own_ticks) - OWN_BEFORE)) \
	-v t0="$LOAD_START" -v t1="$(date +%s.%N)" -v hz="$HZ" -v n="$CORES" \
	'BEGIN { x = 100 * (a - o) / ((t1 - t0) * hz * n); printf "%.1f", (x > 0 ? x : 0) }')
# The session must still be valid: otherwise the runs measured redirects, not the pages.
for page in "${PAGES[@]}"; do check_page "$page" >/dev/null; done

# 6. Results.
ratio() {   # page connections → cej req/s as a % of nginx's
	awk -v a="${RPS[$1/cej-c$2]}" -v b="${RPS[$1/nginx-c$2]}" \
		'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print 0 }'
}
echo
echo "== Résultats ($(date '+%Y-%m-%d %H:%M'), $CORES cœurs, ${DURATION}s par mesure, arbre $REV)"
printf '%-12s %7s %-10s %8s %9s %9s %8s %11s %8s\n' page octets cible req/s "p50 (ms)" \
	"p99 (ms)" erreurs "CPU ms/req" "% nginx"
for name in "${RUNS[@]}"; do
	page=${name%%/*} run=${name#*/} pct=
	[[ $run == cej-* ]] && pct="$(ratio "$page" "${run#cej-c}") %"
	printf '%-12s %7s %-10s %8s %9s %9s %8s %11s %8s\n' "$page" "${SIZE_OF[$page]}" "$run" \
		"${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${ERR[$name]}" "${CPU[$name]}" "$pct"
done
echo
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début ;" \
	"$OTHERS_PCT % des $CORES cœurs pendant la charge"
echo
verdict() { if awk -v a="$1" -v b="$3" "BEGIN { exit !(a $2 b) }"; then echo OK; else echo "NOT MET"; fi; }
printf '%-8s %-12s %s\n' verdict "mesure" objectif
for page in "${PAGES[@]}"; do
	p99=${P99[$page/cej-c$CONNS]}
	printf '%-8s %-12s %s\n' "$(verdict "$p99" '<' "$TARGET_P99_MS")" "$p99 ms" \
		"${LABEL_OF[$page]} : p99 < $TARGET_P99_MS ms à $CONNS connexions"
done
if awk -v x="$OTHERS_PCT" 'BEGIN { exit !(x > 5) }'; then
	echo "attention : d'autres processus ont pris $OTHERS_PCT % du CPU pendant la charge ; relancez sur une machine au repos"
fi
for name in "${RUNS[@]}"; do
	if [[ $name == */cej-* ]] && [ "${ERR[$name]}" != 0 ]; then
		echo "attention : cej a renvoyé ${ERR[$name]} erreurs ou réponses non 2xx pendant $name"
	fi
done
exit 0
