#!/usr/bin/env bash
# bench/run.sh — load benchmark of the counselor's portfolio page (GET /portefeuille),
# beside a reference measured in the same run: nginx serving a static file of the same
# size on the same machine. A benchmark, not a test: it prints numbers and checks them
# against the targets, and exits 0 whether or not they are met (non-zero only when the
# set-up itself fails). See bench/README.md.
#
#   bench/run.sh                       (or: make bench, from the repository root)
#   DURATION=30 bench/run.sh           seconds per wrk run (default 15)
#   BENCH_COUNSELORS=100 BENCH_PER=50  data set: counselors × beneficiaries each
#   CEJ_BIN=/path/to/cej               binary (default: build/cej of this repository)
#   NGINX=/usr/sbin/nginx WRK=wrk      tools
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CEJ=${CEJ_BIN:-$ROOT/build/cej}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
DURATION=${DURATION:-15}
COUNSELORS=${BENCH_COUNSELORS:-100}
PER=${BENCH_PER:-50}
CONNS=64
CORES=$(nproc 2>/dev/null || echo 2)
EMAIL=conseiller-001@cej-bench.fr
PASSWORD=Bench-Passw0rd
PAGE=/portefeuille

# Targets from the issue.
TARGET_P99_MS=20        # p99 at 64 connections
TARGET_RATIO_PCT=50     # cej throughput as a share of nginx's
TARGET_IDLE_MB=30       # idle RSS

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
trap 'echo; echo "bench: interrompu" >&2; exit 130' INT TERM

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
# ... of the server a run targets.
server_ticks() { if [[ $1 == cej* ]]; then cpu_ticks "$cej_pid"; else nginx_ticks; fi; }
HZ=$(getconf CLK_TCK)

echo "== cej bench : $PAGE ($COUNSELORS conseillers × $PER bénéficiaires), $CORES cœurs, ${DURATION}s par mesure"
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

# 1. Data set.
export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox \
	CEJ_IMILO_API_URL=http://127.0.0.1:1
"$CEJ" bench-data --conseillers "$COUNSELORS" --beneficiaires "$PER" \
	>"$tmp/bench-data.log" 2>&1 || { cat "$tmp/bench-data.log" >&2; die "cej bench-data a échoué"; }
grep -v ' info ' "$tmp/bench-data.log" | sed 's/^/   données : /'

# 2. cej server.
start_cej() {
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		CEJ_PORT=$port "$CEJ" serve >"$tmp/cej.log" 2>&1 &
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

# 3. Log in as conseiller-001: the login form sets cej_csrf and carries it in _csrf.
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

# 4. The page answers 200 with the portfolio, on both variants; its size.
check_page() {   # path [copy of the body] → prints the body size
	local out=${2:-$tmp/check.html} code
	code=$(curl -sS -H "Cookie: $COOKIE" -o "$out" -w '%{http_code}' "$CEJ_URL$1")
	[ "$code" = 200 ] || die "GET $1 : $code au lieu de 200"
	grep -q "Liste des bénéficiaires" "$out" || die "GET $1 : « Liste des bénéficiaires » absent"
	stat -c %s "$out"
}
SIZE=$(check_page "$PAGE" "$tmp/page.html")
SIZE_P3=$(check_page "$PAGE?tri=activite&ordre=desc&page=3")
echo "   page : $PAGE = $SIZE octets ; $PAGE?tri=activite&ordre=desc&page=3 = $SIZE_P3 octets (200, contenu vérifié)"

# Warm-up, then the idle footprint.
for _ in $(seq 20); do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "$CEJ_URL$PAGE"; done
sleep 1
IDLE_MB=$(mem_mb "$cej_pid" VmRSS)
# The peak so far is the login's (Argon2id, 64 MiB per password check): shown apart, then
# reset (writing 5 to clear_refs resets VmHWM) so that the peak after the load is the load's.
LOGIN_PEAK_MB=$(mem_mb "$cej_pid" VmHWM)
PEAK_NOTE="VmHWM pendant la charge"
if ! { echo 5 >"/proc/$cej_pid/clear_refs"; } 2>/dev/null; then
	PEAK_NOTE="VmHWM depuis le démarrage, connexion comprise : clear_refs refusé"
fi

# 5. nginx serving a static file of exactly the same size.
mkdir -p "$tmp/nginx/www" "$tmp/nginx/tmp"
cp "$tmp/page.html" "$tmp/nginx/www/page.html"
[ "$(stat -c %s "$tmp/nginx/www/page.html")" = "$SIZE" ] || die "fichier statique de taille incorrecte"
# As root, nginx workers run as "nobody": let them reach the file (the temp dir stays
# unlistable to others).
chmod 711 "$tmp"
chmod 755 "$tmp/nginx" "$tmp/nginx/www"
chmod 644 "$tmp/nginx/www/page.html"
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
			        location = $PAGE { try_files /page.html =404; }
			    }
			}
		EOF
		"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
			>"$tmp/nginx/stdout.log" 2>&1 &
		nginx_pid=$!
		for _ in $(seq 50); do
			if curl -fsS -o /dev/null "http://127.0.0.1:$port$PAGE" 2>/dev/null; then
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
ngsize=$(curl -fsS -o /dev/null -w '%{size_download}' "$NGINX_URL$PAGE")
[ "$ngsize" = "$SIZE" ] || die "nginx sert $ngsize octets au lieu de $SIZE"

# 6. Load. Each run: wrk's output is kept; its numbers are parsed below.
to_ms() {   # "15.05ms" / "812.00us" / "1.02s" / "2.00m" → milliseconds
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) printf "%.2f", v / 1000;
		else if (v ~ /ms$/) printf "%.2f", v + 0;
		else if (v ~ /m$/) printf "%.2f", v * 60000;
		else if (v ~ /s$/) printf "%.2f", v * 1000;
		else printf "?" }'
}
declare -A RPS P50 P99 ERR CPU
run_wrk() {   # name url connections [cookie header]
	local name=$1 url=$2 c=$3 threads=2 out=$tmp/wrk-$1.txt before after
	[ "$c" -lt 2 ] && threads=1
	local args=(-t"$threads" -c"$c" -d"${DURATION}s" --latency)
	[ -n "${4:-}" ] && args+=(-H "$4")
	local server=$nginx_pid
	[[ $name == cej* ]] && server=$cej_pid
	printf '   %-12s wrk %s %s … ' "$name" "${args[*]:0:4}" "$url"
	before=$(server_ticks "$name")
	# In the background and waited for, so that Ctrl-C reaches the trap at once.
	"$WRK" "${args[@]}" "$url" >"$out" 2>&1 &
	wrk_pid=$!
	wait "$wrk_pid" || { cat "$out" >&2; die "wrk a échoué ($name)"; }
	wrk_pid=
	kill -0 "$server" 2>/dev/null || die "le serveur ($name) s'est arrêté pendant la mesure"
	after=$(server_ticks "$name")
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
	echo "${RPS[$name]} req/s"
}
echo "== Charge (wrk ; wrk tourne sur la même machine et partage les $CORES cœurs)"
run_wrk cej-c$CONNS "$CEJ_URL$PAGE" "$CONNS" "Cookie: $COOKIE"
run_wrk nginx-c$CONNS "$NGINX_URL$PAGE" "$CONNS"
run_wrk cej-c1 "$CEJ_URL$PAGE" 1 "Cookie: $COOKIE"
run_wrk nginx-c1 "$NGINX_URL$PAGE" 1
PEAK_MB=$(mem_mb "$cej_pid" VmHWM)
# The session must still be valid: otherwise the runs measured redirects, not the page.
check_page "$PAGE" >/dev/null

# 7. Results.
echo
echo "== Résultats ($(date '+%Y-%m-%d %H:%M'), $CORES cœurs, corps $SIZE octets, ${DURATION}s par mesure)"
printf '%-14s %10s %10s %10s %8s %12s\n' cible req/s "p50 (ms)" "p99 (ms)" erreurs "CPU ms/req"
for name in cej-c$CONNS nginx-c$CONNS cej-c1 nginx-c1; do
	printf '%-14s %10s %10s %10s %8s %12s\n' "$name" "${RPS[$name]}" "${P50[$name]}" \
		"${P99[$name]}" "${ERR[$name]}" "${CPU[$name]}"
done
RATIO=$(awk -v a="${RPS[cej-c$CONNS]}" -v b="${RPS[nginx-c$CONNS]}" \
	'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print 0 }')
echo
echo "cej : RSS au repos ${IDLE_MB} MB (VmRSS après l'échauffement), pic ${PEAK_MB} MB ($PEAK_NOTE)"
echo "      (pic pendant la connexion, avant la charge : ${LOGIN_PEAK_MB} MB — Argon2id, 64 MiB par vérification)"
echo "débit cej / nginx à $CONNS connexions : ${RATIO} %"
echo "CPU occupé par d'autres processus juste avant le début : $BUSY_BEFORE %"
echo
verdict() { if awk -v a="$1" -v b="$3" "BEGIN { exit !(a $2 b) }"; then echo OK; else echo "NOT MET"; fi; }
printf '%-8s %-12s %s\n' verdict "mesure" objectif
printf '%-8s %-12s %s\n' "$(verdict "${P99[cej-c$CONNS]}" '<' "$TARGET_P99_MS")" \
	"${P99[cej-c$CONNS]} ms" "p99 < ${TARGET_P99_MS} ms à $CONNS connexions"
printf '%-8s %-12s %s\n' "$(verdict "$RATIO" '>=' "$TARGET_RATIO_PCT")" \
	"${RATIO} %" "débit ≥ ${TARGET_RATIO_PCT} % de celui de nginx"
printf '%-8s %-12s %s\n' "$(verdict "$IDLE_MB" '<' "$TARGET_IDLE_MB")" \
	"${IDLE_MB} MB" "RSS au repos < ${TARGET_IDLE_MB} MB"
if [ "${ERR[cej-c$CONNS]}" != 0 ] || [ "${ERR[cej-c1]}" != 0 ]; then
	echo "attention : cej a renvoyé des erreurs ou des réponses non 2xx pendant la charge"
fi
exit 0
