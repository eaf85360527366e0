#!/usr/bin/env bash
# make run-cluster: cej as several identical nodes on one PostgreSQL database (issue 14,
# DESIGN §1 "scale-out"), on this machine: a PostgreSQL cluster in var/pg (its data stays
# there between runs), the migrations and the demo data, the i-milo simulator, two cej
# nodes and nginx in front of them as the load balancer. Prints the addresses; Ctrl-C
# stops everything, PostgreSQL included.
#
#   CEJ_PORT (8080)        the load balancer's port: the address users open
#   CEJ_NODE_PORTS         the nodes' ports ("8081 8082")
#   CEJ_PG_PORT            PostgreSQL's port (default: a free one)
#
# What makes the nodes interchangeable: sessions, login limits, jobs and mail live in the
# database; live events cross nodes through LISTEN/NOTIFY (src/serve/live_relay.h); the
# message key file (var/cles-messages) is the same file for both here — on several
# machines, the same file deployed on each (docs/postgres.md).
set -euo pipefail
cd "$(dirname "$0")/.."
CEJ=${CEJ_BIN:-build/cej}
NGINX=${NGINX:-/usr/sbin/nginx}
port=${CEJ_PORT:-8080}
read -r -a node_ports <<<"${CEJ_NODE_PORTS:-8081 8082}"
sim_port=${CEJ_SIM_PORT:-8090}
sim_token=${CEJ_SIM_ADMIN_TOKEN:-admin-demo}

mkdir -p -m 700 var
# PostgreSQL refuses to run as root: tools/pg-cluster.sh runs it as the postgres user,
# which must be able to walk into var/ (var/pg itself is its own, 0700).
[ "$(id -u)" = 0 ] && chmod 711 var
url=$(CEJ_PG_DURABLE=1 tools/pg-cluster.sh start var/pg ${CEJ_PG_PORT:-})

pids=()
stop_all() {
	trap - EXIT INT TERM
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	tools/pg-cluster.sh stop var/pg || true
}
trap stop_all EXIT INT TERM

export CEJ_DATABASE_URL=$url
export CEJ_MESSAGE_KEY_FILE=${CEJ_MESSAGE_KEY_FILE:-var/cles-messages}
export CEJ_DEMO_MAILBOX=${CEJ_DEMO_MAILBOX:-1}
export CEJ_IMILO_API_URL=${CEJ_IMILO_API_URL:-http://127.0.0.1:$sim_port}
"$CEJ" migrate
"$CEJ" seed --demo
# The communes and départements (data/geo/, docs/geo.md): the offers' "Lieu de travail".
# An upsert: the same rows on every start, 0.3 s.
"$CEJ" offers communes import data/geo/departements.csv data/geo/communes.csv >/dev/null
# The demo catalogue of offers (offers.md §8.6): the same for the same seed, updated in
# place on every start.
"$CEJ" offers demo --seed 42 --departements 29,75,974

"$CEJ" imilo-sim --port "$sim_port" --admin-token "$sim_token" >var/imilo-sim.log 2>&1 &
pids+=($!)

# Each node: behind nginx every connection comes from 127.0.0.1, so the per-address caps
# are nginx's job and the client's address is the X-Real-IP nginx sets (trusted_proxy).
for p in "${node_ports[@]}"; do
	CEJ_PORT=$p CEJ_TRUSTED_PROXY=127.0.0.1 CEJ_CONNECTIONS_PER_ADDRESS=0 \
		CEJ_STREAMS_PER_ADDRESS=0 "$CEJ" serve >"var/node-$p.log" 2>&1 &
	pids+=($!)
done

mkdir -p var/nginx/tmp
[ "$(id -u)" = 0 ] && chmod 711 var/nginx && chown nobody var/nginx/tmp
upstreams=$(for p in "${node_ports[@]}"; do printf '        server 127.0.0.1:%s;\n' "$p"; done)
cat >var/nginx/nginx.conf <<EOF
worker_processes 2;
daemon off;
pid $PWD/var/nginx/nginx.pid;
error_log $PWD/var/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $PWD/var/nginx/tmp/body;
    proxy_temp_path $PWD/var/nginx/tmp/proxy;
    fastcgi_temp_path $PWD/var/nginx/tmp/fastcgi;
    uwsgi_temp_path $PWD/var/nginx/tmp/uwsgi;
    scgi_temp_path $PWD/var/nginx/tmp/scgi;
    client_max_body_size 8m;
    upstream cej {
$upstreams
        keepalive 64;
    }
    server {
        listen $port;
        location / {
            proxy_pass http://cej;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Real-IP \$remote_addr;
            # Live events (SSE): sent as they come, streams held open (25 s heartbeats).
            proxy_buffering off;
            proxy_read_timeout 1h;
            # A node that stops answering: the next one takes the request (idempotent
            # methods only, nginx's default).
            proxy_next_upstream error timeout;
        }
    }
}
EOF
"$NGINX" -p "$PWD/var/nginx" -e "$PWD/var/nginx/error.log" -c "$PWD/var/nginx/nginx.conf" \
	>var/nginx/stdout.log 2>&1 &
pids+=($!)

for _ in $(seq 100); do
	curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" ||
	{ tail -n 20 var/node-*.log var/nginx/error.log >&2; exit 1; }

cat <<MSG

  cej est prêt : deux nœuds sur PostgreSQL derrière nginx.
    Espace conseiller      http://localhost:$port/connexion
    Application jeune      http://localhost:$port/app
    Boîte mail de démo     http://localhost:$port/demo/courriels
    Nœuds                  $(for p in "${node_ports[@]}"; do printf 'http://127.0.0.1:%s  ' "$p"; done)(journaux : var/node-*.log)
    PostgreSQL             $url  (données : var/pg)
    Simulateur i-milo      http://127.0.0.1:$sim_port  (journal : var/imilo-sim.log)

  Conseillers de démonstration (mot de passe Conseiller1!) : voir le README.
  Ctrl-C arrête les nœuds, nginx, le simulateur et PostgreSQL.

MSG
wait -n "${pids[@]}" || true
echo "run-cluster : un processus s'est arrêté, arrêt de tout" >&2
