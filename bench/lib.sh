# shellcheck shell=bash disable=SC2034 # its settings are read by the benches that source it
# bench/lib.sh — what bench/run.sh, bench/agenda.sh and bench/sse.sh share, sourced by
# them (not run): the temporary folder and the traps, cej and nginx started on free ports,
# the login, wrk runs and their parsed numbers, the CPU tick counters. One copy, so that
# the benches measure and print alike.
#
# The sourcing script sets ROOT first, then calls bench_init with its name (the prefix of
# its messages). The load functions also read COOKIE (set by login), the page table
# PATH_OF (page → path on cej; nginx serves /<page>.html) and SIZE_OF; check_page calls
# the bench's own page_checks; p99_verdicts names a page by LABEL_OF (else its key).

# The settings every bench takes from the environment (see each one's header).
CEJ=${CEJ_BIN:-$ROOT/build/cej}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
DURATION=${DURATION:-10}
CONNS=64
CORES=$(nproc 2>/dev/null || echo 2)
# The account cej bench-data makes for conseiller-001.
EMAIL=conseiller-001@cej-bench.fr
PASSWORD=Bench-Passw0rd
HZ=$(getconf CLK_TCK)
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")
BENCH_NAME=bench
cej_pid='' nginx_pid='' child_pid='' sim_pid='' lb_pid=''
# With several nodes (start_cej_nodes): every node's pid and address; cej_pid is the first.
CEJ_PIDS=() NODE_URLS=()
declare -A LABEL_OF=()   # page → its name in the verdicts (p99_verdicts); the key when unset

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

# What run.sh and agenda.sh need: wrk, nginx, curl, the binary, a DURATION in seconds.
require_load_tools() {
	local tool
	for tool in "$WRK" "$NGINX" curl; do
		command -v "$tool" >/dev/null || die "$tool introuvable (paquets Debian : wrk nginx-light curl)"
	done
	[ -x "$CEJ" ] || die "$CEJ introuvable : lancez d'abord « ninja -C build » ou « make build »"
	[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "DURATION doit être un nombre de secondes"
}

# name → the temporary folder $tmp (cej-<name>.XXXXXX), removed with every server and the
# running child at exit or on Ctrl-C.
bench_init() {
	BENCH_NAME=$1
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cej-$1.XXXXXX")
	trap cleanup EXIT
	trap interrupted INT TERM
}
stop_pid() {   # pid: TERM, up to 5 s, then KILL
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null || true   # nginx: fast shutdown; the master stops its workers
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	if [ -n "$child_pid" ]; then kill -TERM "$child_pid" 2>/dev/null || true; fi
	stop_pid "$cej_pid"
	for p in "${CEJ_PIDS[@]}"; do stop_pid "$p"; done
	stop_pid "$lb_pid"
	stop_pid "$nginx_pid"
	stop_pid "$sim_pid"
	wait 2>/dev/null || true
	rm -rf "$tmp"
	exit "$rc"
}
interrupted() { echo; echo "$BENCH_NAME: interrompu" >&2; exit 130; }
# Waits for the background child_pid; a child ended by a signal (Ctrl-C reaches it too,
# same process group) is an interruption. Run in the background so that Ctrl-C reaches
# the trap at once.
wait_child() {
	local rc=0
	wait "$child_pid" || rc=$?
	child_pid=
	[ "$rc" -gt 128 ] && interrupted
	return "$rc"
}

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
# ... of a master process and its children: an nginx master (default: the one serving
# the static copies) and its workers, or PostgreSQL's postmaster and its backends.
nginx_ticks() {   # [master pid]
	local t=0 p workers master=${1:-$nginx_pid}
	[ -n "$master" ] || { echo 0; return; }
	# The workers are the master's children (procps may be absent: /proc first).
	workers=$(cat "/proc/$master/task/$master/children" 2>/dev/null ||
		ps -o pid= --ppid "$master" 2>/dev/null || true)
	for p in $master $workers; do
		t=$((t + $(cpu_ticks "$p")))
	done
	echo "$t"
}
# ... of a local PostgreSQL server (CEJ_DATABASE_URL): its postmaster, found from the
# data directory the server reports, and every backend. Part of what a page costs, so it
# counts on cej's side (and not as "other processes"). 0 without one, or when the server
# is remote or the role may not read its settings.
PG_PID=
find_pg_pid() {
	local dir
	case ${CEJ_DATABASE_URL:-} in postgres*) ;; *) return 0 ;; esac
	dir=$(psql "$CEJ_DATABASE_URL" -Atc "SELECT setting FROM pg_settings WHERE name = 'data_directory'" 2>/dev/null) || return 0
	[ -r "$dir/postmaster.pid" ] && PG_PID=$(head -n1 "$dir/postmaster.pid")
	return 0
}
# ... of cej: its one server, or every node and the load balancer in front of them; with
# PostgreSQL on this machine, its server too.
cej_ticks() {
	local t=0 p
	if [ ${#CEJ_PIDS[@]} -gt 0 ]; then
		for p in "${CEJ_PIDS[@]}"; do t=$((t + $(cpu_ticks "$p"))); done
		t=$((t + $(nginx_ticks "$lb_pid")))
	else
		t=$(cpu_ticks "$cej_pid")
	fi
	[ -n "$PG_PID" ] && t=$((t + $(nginx_ticks "$PG_PID")))
	echo "$t"
}
# ... of the server a run targets ("cej" or "nginx").
server_ticks() { if [ "$1" = cej ]; then cej_ticks; else nginx_ticks; fi; }

# Other work on the machine skews every number (wrk, cej and nginx already share the cores):
# how busy the CPUs are over one second, in %.
cpu_busy_pct() {
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		busy = y[1] - x[1]; all = busy + y[2] - x[2];
		printf "%.0f", (all > 0 ? 100 * busy / all : 0) }'
}
# The same before the start, with the warning of run.sh and agenda.sh: sets BUSY_BEFORE.
busy_before() {
	BUSY_BEFORE=$(cpu_busy_pct)
	if [ "$BUSY_BEFORE" -gt 10 ]; then
		echo "   attention : CPU occupé à $BUSY_BEFORE % avant le début ; d'autres processus faussent les mesures"
	fi
}

# cej bench-data into a temporary database ($tmp/cej.db), with the environment every
# command of cej then reads; its notes (not its log lines) are shown.
bench_data() {   # bench-data options…
	# On PostgreSQL (CEJ_DATABASE_URL wins over CEJ_DB_PATH) the nodes need one key file.
	export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox \
		CEJ_IMILO_API_URL=http://127.0.0.1:1 CEJ_MESSAGE_KEY_FILE=${CEJ_MESSAGE_KEY_FILE:-$tmp/cles-messages}
	"$CEJ" bench-data "$@" >"$tmp/bench-data.log" 2>&1 ||
		{ cat "$tmp/bench-data.log" >&2; die "cej bench-data a échoué"; }
	grep -v ' info ' "$tmp/bench-data.log" | sed 's/^/   données : /'
}

# The i-milo simulator on a free port with a fresh seed ($tmp/sim.db); sets SIM_URL, sim_pid
# and exports what cej's commands need to reach it. SIM_ADMIN: its admin token.
SIM_ADMIN=bench-admin
start_sim() {
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		CEJ_QUIET=true "$CEJ" imilo-sim --port "$port" --db "$tmp/sim.db" --reset \
			--admin-token "$SIM_ADMIN" >"$tmp/sim.log" 2>&1 &
		sim_pid=$!
		for _ in $(seq 100); do
			grep -q "écoute sur" "$tmp/sim.log" 2>/dev/null && break
			kill -0 "$sim_pid" 2>/dev/null || break
			sleep 0.1
		done
		if grep -q "écoute sur" "$tmp/sim.log" 2>/dev/null; then
			SIM_URL=http://127.0.0.1:$port
			export CEJ_IMILO_API_URL=$SIM_URL
			return 0
		fi
		stop_now "$sim_pid"
		sim_pid=
	done
	cat "$tmp/sim.log" >&2
	die "cej imilo-sim ne démarre pas"
}
# One call of the simulator's admin API; prints the body; fails on a status ≥ 400.
sim_admin() {   # method path [json]
	curl -fsS -X "$1" -H "X-Admin-Token: $SIM_ADMIN" -H 'Content-Type: application/json' \
		${3:+--data "$3"} "$SIM_URL$2" || die "simulateur : $1 $2 a échoué"
}

# A server just started answers @url: tried every 0.1 s, @tries times, while @pid lives.
wait_up() {   # url pid tries
	for _ in $(seq "$3"); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# A server that did not come up: stopped before the next port is tried.
stop_now() {   # pid
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# cej serve on a free port (sets CEJ_URL and cej_pid); extra VAR=value settings for it.
start_cej() {   # [VAR=value…]
	local port
	[ -n "$PG_PID" ] || find_pg_pid
	for _ in 1 2 3; do
		port=$(free_port)
		# Every connection of the load comes from loopback: no per-address caps.
		CEJ_PORT=$port CEJ_CONNECTIONS_PER_ADDRESS=0 CEJ_STREAMS_PER_ADDRESS=0 \
			env "$@" "$CEJ" serve >"${CEJ_LOG:-$tmp/cej.log}" 2>&1 &
		cej_pid=$!
		if wait_up "http://127.0.0.1:$port/healthz" "$cej_pid" 100; then
			CEJ_URL=http://127.0.0.1:$port
			return 0
		fi
		stop_now "$cej_pid"
		cej_pid=
	done
	cat "${CEJ_LOG:-$tmp/cej.log}" >&2
	die "cej serve ne répond pas sur /healthz"
}

# NODES cej nodes on one PostgreSQL database (CEJ_DATABASE_URL) behind an nginx load
# balancer configured as tools/run-cluster.sh's (round robin, keepalive to the nodes,
# X-Real-IP); CEJ_URL becomes the balancer's, NODE_URLS the nodes' own. One node: start_cej.
start_cej_nodes() {   # nodes [VAR=value…]
	local n=$1 i
	shift
	if [ "$n" -le 1 ]; then start_cej "$@"; return; fi
	case ${CEJ_DATABASE_URL:-} in postgres*) ;; *) die "NODES=$n : CEJ_DATABASE_URL=postgres://… requis" ;; esac
	for i in $(seq "$n"); do
		CEJ_LOG=$tmp/cej-$i.log start_cej CEJ_TRUSTED_PROXY=127.0.0.1 "$@"
		CEJ_PIDS+=("$cej_pid") NODE_URLS+=("$CEJ_URL")
	done
	cej_pid=${CEJ_PIDS[0]}
	start_lb
}
lb_conf() {   # port
	local u
	cat <<-EOF
		worker_processes $CORES;
		daemon off;
		pid $tmp/lb/nginx.pid;
		error_log $tmp/lb/error.log warn;
		worker_rlimit_nofile 65536;
		events { worker_connections 20000; }
		http {
		    access_log off;
		    client_body_temp_path $tmp/lb/tmp/body;
		    proxy_temp_path $tmp/lb/tmp/proxy;
		    fastcgi_temp_path $tmp/lb/tmp/fastcgi;
		    uwsgi_temp_path $tmp/lb/tmp/uwsgi;
		    scgi_temp_path $tmp/lb/tmp/scgi;
		    keepalive_requests 1000000;
		    upstream cej {
	EOF
	for u in "${NODE_URLS[@]}"; do echo "        server ${u#http://};"; done
	cat <<-EOF
		        keepalive 128;
		        keepalive_requests 1000000;
		    }
		    server {
		        listen 127.0.0.1:$1;
		        location / {
		            proxy_pass http://cej;
		            proxy_http_version 1.1;
		            proxy_set_header Connection "";
		            proxy_set_header Host \$http_host;
		            proxy_set_header X-Real-IP \$remote_addr;
		            proxy_buffering off;
		            proxy_read_timeout 1h;
		        }
		    }
		}
	EOF
}
start_lb() {
	local port
	mkdir -p "$tmp/lb/tmp"
	for _ in 1 2 3; do
		port=$(free_port)
		lb_conf "$port" >"$tmp/lb/nginx.conf"
		"$NGINX" -p "$tmp/lb" -e "$tmp/lb/error.log" -c "$tmp/lb/nginx.conf" \
			>"$tmp/lb/stdout.log" 2>&1 &
		lb_pid=$!
		if wait_up "http://127.0.0.1:$port/healthz" "$lb_pid" 50; then
			CEJ_URL=http://127.0.0.1:$port
			return 0
		fi
		stop_now "$lb_pid"
		lb_pid=
	done
	cat "$tmp/lb/stdout.log" "$tmp/lb/error.log" >&2 2>/dev/null || true
	die "le répartiteur nginx ne démarre pas"
}

# Logs in like a browser: the login form sets cej_csrf and carries it in _csrf. Sets COOKIE.
login() {   # email password
	local jar=$tmp/cookies csrf status session
	curl -fsS -c "$jar" -o "$tmp/login.html" "$CEJ_URL/connexion" || die "GET /connexion a échoué"
	csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n1)
	[ -n "$csrf" ] || die "champ _csrf absent de /connexion"
	status=$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
		--data-urlencode "_csrf=$csrf" --data-urlencode "email=$1" \
		--data-urlencode "password=$2" "$CEJ_URL/connexion")
	[ "$status" = 303 ] || die "POST /connexion : $status au lieu de 303"
	session=$(awk '$6 == "cej_session" { print $7 }' "$jar")
	[ -n "$session" ] || die "pas de cookie cej_session après la connexion"
	COOKIE="cej_csrf=$csrf; cej_session=$session"
}

must_contain() {   # file path text
	grep -qF -- "$3" "$1" || die "GET $2 : « $3 » absent"
}
# GET a page of PATH_OF with the session's cookie: it must answer 200 and pass the bench's
# `page_checks page file path` (what the right page contains: a redirect to the login or
# an empty page would measure nothing); prints the body's size.
check_page() {   # page [copy of the body] → prints the body size
	local page=$1 out=${2:-$tmp/check.html} path=${PATH_OF[$1]} code
	code=$(curl -sS -H "Cookie: $COOKIE" -o "$out" -w '%{http_code}' "$CEJ_URL$path")
	[ "$code" = 200 ] || die "GET $path : $code au lieu de 200"
	page_checks "$page" "$out" "$path"
	stat -c %s "$out"
}
warm_up() {   # pages… : 20 requests each
	local page
	for page in "$@"; do
		for _ in $(seq 20); do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "$CEJ_URL${PATH_OF[$page]}"; done
	done
}

# nginx serving, for each page, a static file of exactly the same size ($tmp/pages/<page>.html
# copied to /<page>.html); sets NGINX_URL and nginx_pid.
serve_copies() {   # pages…
	local page ngsize
	mkdir -p "$tmp/nginx/www" "$tmp/nginx/tmp"
	for page in "$@"; do
		cp "$tmp/pages/$page.html" "$tmp/nginx/www/$page.html"
		[ "$(stat -c %s "$tmp/nginx/www/$page.html")" = "${SIZE_OF[$page]}" ] ||
			die "fichier statique de taille incorrecte ($page)"
	done
	# As root, nginx workers run as "nobody": let them reach the files (the temp dir stays
	# unlistable to others).
	chmod 711 "$tmp"
	chmod 755 "$tmp/nginx" "$tmp/nginx/www"
	chmod 644 "$tmp/nginx/www/"*.html
	start_nginx "$1.html"
	for page in "$@"; do
		ngsize=$(curl -fsS -o /dev/null -w '%{size_download}' "$NGINX_URL/$page.html")
		[ "$ngsize" = "${SIZE_OF[$page]}" ] || die "nginx sert $ngsize octets au lieu de ${SIZE_OF[$page]} ($page)"
	done
}
nginx_conf() {   # port
	cat <<-EOF
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
		        listen 127.0.0.1:$1;
		        root $tmp/nginx/www;
		    }
		}
	EOF
}
start_nginx() {   # file it is up once it serves
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		nginx_conf "$port" >"$tmp/nginx/nginx.conf"
		"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
			>"$tmp/nginx/stdout.log" 2>&1 &
		nginx_pid=$!
		if wait_up "http://127.0.0.1:$port/$1" "$nginx_pid" 50; then
			NGINX_URL=http://127.0.0.1:$port
			return 0
		fi
		stop_now "$nginx_pid"
		nginx_pid=
	done
	cat "$tmp/nginx/stdout.log" "$tmp/nginx/error.log" >&2 2>/dev/null || true
	die "nginx ne démarre pas"
}

to_ms() {   # wrk's "15.05ms" / "812.00us" / "1.02s" / "2.00m" → milliseconds
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) printf "%.2f", v / 1000;
		else if (v ~ /ms$/) printf "%.2f", v + 0;
		else if (v ~ /m$/) printf "%.2f", v * 60000;
		else if (v ~ /s$/) printf "%.2f", v * 1000;
		else printf "?" }'
}
# The numbers of a wrk output (run with --latency) into W_RPS, W_P50, W_P99, W_ERR
# (non-2xx/3xx responses plus socket errors) and W_CPU: the server's CPU per request in ms,
# from the ticks it took over the run (all its threads / processes).
parse_wrk() {   # file ticks
	local total non2xx sock
	W_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")
	W_P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$1")")
	W_P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")
	total=$(awk '/requests in/ { print $1 }' "$1")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1")
	sock=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$1")
	W_ERR=$(( ${non2xx:-0} + ${sock:-0} ))
	W_CPU=$(awk -v t="$2" -v hz="$HZ" -v n="${total:-0}" \
		'BEGIN { if (n > 0) printf "%.3f", t / hz * 1000 / n; else print "?" }')
}

# One wrk run of a page on cej or on nginx; its numbers go to RPS, P50, P99, ERR, CPU under
# "page/server-cN", the name appended to RUNS.
declare -A RPS P50 P99 ERR CPU SCRIPT_OF
RUNS=()
run_wrk() {   # page server(cej|nginx) connections
	local page=$1 server=$2 c=$3 threads=2 before after url
	local name=$page/$server-c$c
	local out=$tmp/wrk-$page-$server-c$c.txt
	[ "$c" -lt 2 ] && threads=1
	local args=(-t"$threads" -c"$c" -d"${DURATION}s" --latency)
	local pid=$nginx_pid
	if [ "$server" = cej ]; then
		url=$CEJ_URL${PATH_OF[$page]}
		args+=(-H "Cookie: $COOKIE")
		# A wrk script may vary the request (SCRIPT_OF[page]: a Lua file).
		[ -n "${SCRIPT_OF[$page]:-}" ] && args+=(-s "${SCRIPT_OF[$page]}")
		pid=$cej_pid
	else
		url=$NGINX_URL/$page.html
	fi
	printf '   %-32s wrk %s %s … ' "$name" "${args[*]:0:4}" "$url"
	before=$(server_ticks "$server")
	"$WRK" "${args[@]}" "$url" >"$out" 2>&1 &
	child_pid=$!
	wait_child || { cat "$out" >&2; die "wrk a échoué ($name)"; }
	kill -0 "$pid" 2>/dev/null || die "le serveur ($name) s'est arrêté pendant la mesure"
	after=$(server_ticks "$server")
	parse_wrk "$out" $((after - before))
	RPS[$name]=$W_RPS P50[$name]=$W_P50 P99[$name]=$W_P99 ERR[$name]=$W_ERR CPU[$name]=$W_CPU
	RUNS+=("$name")
	echo "${RPS[$name]} req/s"
}

# CPU time in ticks of the whole machine (user, system, irq, softirq: the loopback traffic
# is partly softirq) and of this benchmark's own processes: cej, nginx, this script and
# the children it has waited for (wrk, curl…). Their difference over the load is an
# estimate of what other processes took (≈ 0 on a quiet machine).
all_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
own_ticks() {
	echo $(( $(cej_ticks) + $(nginx_ticks) +
		$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat") ))
}
load_begin() {
	echo "== Charge (wrk ; wrk tourne sur la même machine et partage les $CORES cœurs)"
	LOAD_START=$(date +%s.%N) ALL_BEFORE=$(all_ticks) OWN_BEFORE=$(own_ticks)
}
load_end() {   # sets OTHERS_PCT: % of the cores other processes took during the load
	OTHERS_PCT=$(awk -v a=$(($(all_ticks) - ALL_BEFORE)) -v o=$(($(own_ticks) - OWN_BEFORE)) \
		-v t0="$LOAD_START" -v t1="$(date +%s.%N)" -v hz="$HZ" -v n="$CORES" \
		'BEGIN { x = 100 * (a - o) / ((t1 - t0) * hz * n); printf "%.1f", (x > 0 ? x : 0) }')
}

# The load of every page @pages…, on cej then on nginx at CONNS connections; then each
# page checked again: the session must still be valid, otherwise the runs measured
# redirects, not the pages.
load_pages() {   # pages…
	local page
	load_begin
	for page in "$@"; do
		run_wrk "$page" cej "$CONNS"
		run_wrk "$page" nginx "$CONNS"
	done
	load_end
	for page in "$@"; do check_page "$page" >/dev/null; done
}

ratio() {   # page connections → cej req/s as a % of nginx's
	awk -v a="${RPS[$1/cej-c$2]}" -v b="${RPS[$1/nginx-c$2]}" \
		'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print 0 }'
}
# The table of every run, its page column that wide.
results_table() {   # width
	local f="%-$1s %7s %-10s %8s %9s %9s %8s %11s %8s\n" name page run pct
	echo
	echo "== Résultats ($(date '+%Y-%m-%d %H:%M'), $CORES cœurs, ${DURATION}s par mesure, arbre $REV)"
	# shellcheck disable=SC2059 # the format is built above
	printf "$f" page octets cible req/s "p50 (ms)" "p99 (ms)" erreurs "CPU ms/req" "% nginx"
	[ -n "$PG_PID" ] && echo "(CPU ms/req de cej : le serveur PostgreSQL compris${CEJ_PIDS:+, les nœuds et le répartiteur})"
	for name in "${RUNS[@]}"; do
		page=${name%%/*} run=${name#*/} pct=
		[[ $run == cej-* ]] && pct="$(ratio "$page" "${run#cej-c}") %"
		# shellcheck disable=SC2059
		printf "$f" "$page" "${SIZE_OF[$page]}" "$run" \
			"${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${ERR[$name]}" "${CPU[$name]}" "$pct"
	done
}
verdict() { if awk -v a="$1" -v b="$3" "BEGIN { exit !(a $2 b) }"; then echo OK; else echo "NOT MET"; fi; }
# The warnings after the verdicts: a busy machine, errors from cej.
# The verdicts' table: each page's p99 at CONNS connections against @target ms.
p99_verdicts() {   # target pages…
	local target=$1 page p99
	shift
	printf '%-8s %-12s %s\n' verdict "mesure" objectif
	for page in "$@"; do
		p99=${P99[$page/cej-c$CONNS]}
		printf '%-8s %-12s %s\n' "$(verdict "$p99" '<' "$target")" "$p99 ms" \
			"${LABEL_OF[$page]:-$page} : p99 < $target ms à $CONNS connexions"
	done
}

load_warnings() {
	local name
	if awk -v x="$OTHERS_PCT" 'BEGIN { exit !(x > 5) }'; then
		echo "attention : d'autres processus ont pris $OTHERS_PCT % du CPU pendant la charge ; relancez sur une machine au repos"
	fi
	for name in "${RUNS[@]}"; do
		if [[ $name == */cej-* ]] && [ "${ERR[$name]}" != 0 ]; then
			echo "attention : cej a renvoyé ${ERR[$name]} erreurs ou réponses non 2xx pendant $name"
		fi
	done
}
