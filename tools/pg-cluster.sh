#!/usr/bin/env bash
# tools/pg-cluster.sh — a throwaway PostgreSQL cluster for the tests, the benches and
# `make run-cluster`: initdb into a folder, a server listening on loopback and on a unix
# socket in that folder, trust authentication for local connections only (never for
# production: it is a test cluster on 127.0.0.1).
#
#   tools/pg-cluster.sh start DIR [PORT]   creates DIR if needed, starts the server, prints
#                                          its URL (postgres://cej@127.0.0.1:PORT/cej)
#   tools/pg-cluster.sh stop DIR           fast shutdown (pg_ctl -m fast)
#   tools/pg-cluster.sh url DIR            the URL of a running cluster of DIR
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user of
# Debian's package, which then owns DIR. A free port is picked when PORT is not given.
# The cluster has a role `cej` (superuser: the tests create and drop databases) and a
# database `cej`. Its log is DIR/server.log. CEJ_PG_DURABLE=1 keeps PostgreSQL's fsync
# (make run-cluster: demo data worth keeping); otherwise fsync is off, for throwaway test
# clusters only. CEJ_PG_OPTS adds server settings at start (bench/national.sh sizes the
# cluster for the nation: "-c shared_buffers=4GB -c max_wal_size=8GB").
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$PGBIN/initdb" ] || { echo "pg-cluster: initdb introuvable (paquet Debian postgresql)" >&2; exit 1; }

as_owner() {   # command… : as the cluster's owner (postgres when we are root)
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	echo "pg-cluster: pas de port libre" >&2
	exit 1
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,16p' "$0" >&2; exit 2; }
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	chmod 700 "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
	fi
	if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		echo "postgres://cej@127.0.0.1:$(cat "$dir/port")/cej"   # already running
		exit 0
	fi
	port=${3:-$(free_port)}
	# fsync off: a test cluster thrown away after the run (never for real data).
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${CEJ_PG_DURABLE:-0}" = 1 ] && fast=
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir \
$fast -c max_connections=300 ${CEJ_PG_OPTS:-}" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "$port" >"$dir/port"
	psql() { as_owner "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
	psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'cej'" | grep -q 1 ||
		psql -d postgres -c "CREATE ROLE cej LOGIN SUPERUSER"
	psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'cej'" | grep -q 1 ||
		psql -d postgres -c "CREATE DATABASE cej OWNER cej"
	echo "postgres://cej@127.0.0.1:$port/cej"
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
url)
	[ -f "$dir/port" ] || { echo "pg-cluster: aucun cluster dans $dir" >&2; exit 1; }
	echo "postgres://cej@127.0.0.1:$(cat "$dir/port")/cej"
	;;
*)
	sed -n '2,16p' "$0" >&2
	exit 2
	;;
esac
