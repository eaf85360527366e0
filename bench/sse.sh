#!/usr/bin/env bash
# bench/sse.sh — live events under load: 1,000, 5,000 then 10,000 idle event streams of
# distinct young people (GET /app/evenements-direct) held open on the loopback while their
# counselors send messages at a steady rate through the web form (POST /conversations/{id});
# for each number of streams, the delivery latency (POST written → "event: message" read on
# the young person's stream) p50/p99/max, what was lost, and the server's RSS. Then apart,
# the counselor's conversation page with 10,000 messages in the conversation, under wrk.
# A benchmark, not a test: it prints numbers and checks them against the targets, and
# exits 0 whether or not they are met (non-zero only when the set-up itself fails).
# See bench/README.md.
#
#   bench/sse.sh                       (or: make bench-sse, from the repository root)
#   BENCH_SSE_STEPS=1000,5000,10000    numbers of streams, cumulative
#   RATE=50 SEND_SECONDS=15            messages a second, and for how long, at each step
#   DURATION=10                        seconds of wrk on the conversation page
#   BENCH_MESSAGES=10000               messages in the measured conversation
#   CEJ_BIN=/path/to/cej NODE=node WRK=wrk
#   CEJ_DATABASE_URL=postgres://…      the same on an empty PostgreSQL database
#   NODES=2 (with CEJ_DATABASE_URL)    two cej nodes behind an nginx load balancer: the
#                                      streams are held by the second node and the messages
#                                      sent through the first, so that each delivery crosses
#                                      nodes (LISTEN/NOTIFY); the page runs through nginx
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
BENCH_NAME=bench-sse
NODE=${NODE:-node}
STEPS=${BENCH_SSE_STEPS:-1000,5000,10000}
RATE=${RATE:-50}
SEND_SECONDS=${SEND_SECONDS:-15}
MESSAGES=${BENCH_MESSAGES:-10000}
MAX=${STEPS##*,}
NODES=${NODES:-1}
PER=50
# bench-data activates two accounts out of three: enough counselors for MAX young people
# with a session.
COUNSELORS=$(( (MAX * 3 / 2 + PER - 1) / PER ))

# Targets from the issue (5, point 11).
TARGET_STREAMS=10000      # streams held on 2 cores
TARGET_P99_MS=50          # delivery p99
TARGET_RSS_MB=500         # server RSS with the streams open
TARGET_PAGE_P99_MS=10     # conversation page p99, 10,000 messages, 64 connections

for tool in "$NODE" "$WRK" curl; do
	command -v "$tool" >/dev/null || die "$tool introuvable (paquets Debian : nodejs wrk curl)"
done
[ -x "$CEJ" ] || die "$CEJ introuvable : lancez d'abord « ninja -C build » ou « make build »"
[[ $STEPS =~ ^[0-9]+(,[0-9]+)*$ ]] || die "BENCH_SSE_STEPS : des nombres séparés par des virgules"
for n in RATE SEND_SECONDS DURATION MESSAGES; do
	[[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || die "$n doit être un entier positif"
done
# The client holds MAX sockets in one process (cej raises its own limit: docs/configuration.md).
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt $((MAX + 256)) ]; then
	ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
	[ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge $((MAX + 256)) ] ||
		die "limite de fichiers ouverts trop basse pour $MAX flux (ulimit -Hn : $(ulimit -Hn))"
fi

bench_init bench-sse

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== cej bench-sse : flux $STEPS, $RATE messages/s pendant ${SEND_SECONDS}s par palier," \
	"$CORES cœurs, ${CEJ_DATABASE_URL:+PostgreSQL, }$NODES nœud(s), arbre $REV"
BUSY_BEFORE=$(cpu_busy_pct)
LOAD_BEFORE=$(load_avg)
echo "   charge de la machine avant le début : $LOAD_BEFORE (uptime), CPU occupé à $BUSY_BEFORE %"
if [ "$BUSY_BEFORE" -gt 10 ]; then
	echo "   attention : d'autres processus occupent le CPU ; les mesures seront préliminaires"
fi

# 1. Data: the structure, a session per counselor and per activated young person, and one
#    conversation of MESSAGES messages (conseiller-001's first activated young person).
bench_data --conseillers "$COUNSELORS" --beneficiaires "$PER" --actions 0 \
	--messages "$MESSAGES" --sessions "$tmp/sessions.tsv"
CONV_PATH=$(sed -n 's|^conversation de [0-9]* messages : \(/conversations/[0-9a-f-]*\)$|\1|p' \
	"$tmp/bench-data.log")
[ -n "$CONV_PATH" ] || die "bench-data n'a pas créé la conversation"
CONV_ID=${CONV_PATH##*/}
# The counselor of that conversation: conseiller-001, the first "conseiller" line.
read -r _ _ _ COUNSELOR_TOKEN COUNSELOR_CSRF < <(awk -F'\t' '$1 == "conseiller"' "$tmp/sessions.tsv" | head -n1)
[ -n "$COUNSELOR_TOKEN" ] || die "pas de session de conseiller dans le fichier de sessions"

# 2. cej, with room for MAX streams (connection_limit follows: sse_max_streams + 1000).
start_cej_nodes "$NODES" CEJ_SSE_MAX_STREAMS="$MAX"
# The streams' node and the senders' (the same one unless NODES > 1).
STREAM_URL=$CEJ_URL SEND_URL=$CEJ_URL STREAM_PID=$cej_pid
if [ "$NODES" -gt 1 ]; then
	STREAM_URL=${NODE_URLS[1]} SEND_URL=${NODE_URLS[0]} STREAM_PID=${CEJ_PIDS[1]}
	echo "   flux tenus par le nœud $STREAM_URL, messages envoyés par le nœud $SEND_URL"
fi
COOKIE="cej_session=$COUNSELOR_TOKEN"

# 3. The conversation page: 200, the counselor's own conversation (its composer), the
#    newest messages; warm-up, then wrk.
check_conversation() {
	local code
	code=$(curl -sS -H "Cookie: $COOKIE" -o "$tmp/conv.html" -w '%{http_code}' "$CEJ_URL$CONV_PATH")
	[ "$code" = 200 ] || die "GET $CONV_PATH : $code au lieu de 200"
	grep -qF "Discuter avec" "$tmp/conv.html" || die "GET $CONV_PATH : « Discuter avec » absent"
	grep -qF "action=\"$CONV_PATH\"" "$tmp/conv.html" || die "GET $CONV_PATH : pas de formulaire d'envoi"
	grep -qF "Bonjour, pouvez-vous me rappeler demain matin" "$tmp/conv.html" ||
		die "GET $CONV_PATH : les derniers messages n'apparaissent pas"
}
check_conversation
CONV_SIZE=$(stat -c %s "$tmp/conv.html")
echo "   page : $CONV_PATH, $CONV_SIZE octets (200, contenu vérifié)"
for _ in $(seq 20); do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "$CEJ_URL$CONV_PATH"; done

declare -A PAGE_RPS PAGE_P50 PAGE_P99 PAGE_ERR PAGE_CPU
run_page() {   # connections
	local c=$1 threads=2 out=$tmp/wrk-c$1.txt before after
	[ "$c" -lt 2 ] && threads=1
	printf '   wrk -t%s -c%s -d%ss … ' "$threads" "$c" "$DURATION"
	before=$(cpu_ticks "$cej_pid")
	"$WRK" -t"$threads" -c"$c" -d"${DURATION}s" --latency -H "Cookie: $COOKIE" \
		"$CEJ_URL$CONV_PATH" >"$out" 2>&1 &
	child_pid=$!
	wait_child || { cat "$out" >&2; die "wrk a échoué"; }
	kill -0 "$cej_pid" 2>/dev/null || die "le serveur s'est arrêté pendant la mesure"
	after=$(cpu_ticks "$cej_pid")
	parse_wrk "$out" $((after - before))
	PAGE_RPS[$c]=$W_RPS PAGE_P50[$c]=$W_P50 PAGE_P99[$c]=$W_P99 PAGE_ERR[$c]=$W_ERR PAGE_CPU[$c]=$W_CPU
	echo "${PAGE_RPS[$c]} req/s, p50 ${PAGE_P50[$c]} ms, p99 ${PAGE_P99[$c]} ms," \
		"${PAGE_CPU[$c]} ms de CPU par page, ${PAGE_ERR[$c]} erreurs"
}
echo "== Page de conversation ($MESSAGES messages), DURATION=${DURATION}s"
run_page "$CONNS"
run_page 1
check_conversation   # still the page, not a redirect to the login

# 4. The streams and the messages (bench/sse_client.mjs).
echo "== Flux d'événements : $STEPS flux ouverts par paliers, $RATE messages/s pendant ${SEND_SECONDS}s"
"$NODE" "$ROOT/bench/sse_client.mjs" --url "$STREAM_URL" --send-url "$SEND_URL" \
	--sessions "$tmp/sessions.tsv" --pid "$STREAM_PID" --steps "$STEPS" --rate "$RATE" --seconds "$SEND_SECONDS" \
	--out "$tmp/sse.json" &
child_pid=$!
wait_child || die "le client des flux a échoué"
kill -0 "$cej_pid" 2>/dev/null || { cat "$tmp/cej.log" >&2; die "le serveur s'est arrêté pendant la mesure"; }
BUSY_AFTER=$(cpu_busy_pct)
LOAD_AFTER=$(load_avg)

# 5. Results.
echo
echo "== Résultats ($(date '+%Y-%m-%d %H:%M'), $CORES cœurs, arbre $REV)"
echo "   charge (uptime) : $LOAD_BEFORE avant, $LOAD_AFTER après ; CPU occupé $BUSY_BEFORE % avant, $BUSY_AFTER % après"
"$NODE" -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [target, p99max, rssmax, conv] = process.argv.slice(2).map(Number);
const [convP50, convP99, convRps, convErr, messages, convCpu, oneP50, oneP99, oneRps] =
  process.argv.slice(6);
const row = (cells, w) => cells.map((c, i) => String(c ?? "-").padStart(w[i])).join(" ");
const w = [7, 7, 9, 10, 9, 9, 9, 6, 9, 9, 10, 8, 11];
console.log(`RSS au repos, aucun flux : ${r.idle_rss_mb} MB`);
console.log(row(["flux", "tenus", "RSS (MB)", "envoyés", "livrés", "p50 (ms)", "p99 (ms)", "perdus",
  "max (ms)", "POST p99", "après 303", "CPU %", "client max"], w));
for (const s of r.steps)
  console.log(row([s.target, s.held, s.rss_after_mb, s.sent, s.delivered, s.p50_ms, s.p99_ms,
    s.lost + s.post_errors, s.max_ms, s.post_p99_ms, s.after_303_p99_ms, s.server_cpu_pct,
    s.client_loop_max_ms], w));
console.log("(RSS : VmRSS du serveur après l’envoi, flux ouverts ; POST p99 : réponse 303 du formulaire, " +
  "vue du client ; après 303 : p99 du retard de l’événement sur cette réponse, 0 s’il arrive avant ; " +
  "CPU % : temps CPU du serveur pendant l’envoi, en % d’un cœur ; client max : plus long retard de la " +
  "boucle d’événements du client, en ms, qui s’ajoute aux latences qu’il mesure)");
console.log(`page de conversation (${messages} messages) : 64 connexions ${convRps} req/s, p50 ${convP50} ms, ` +
  `p99 ${convP99} ms, ${convErr} erreurs, ${convCpu} ms de CPU par page ; ` +
  `1 connexion ${oneRps} req/s, p50 ${oneP50} ms, p99 ${oneP99} ms`);
console.log();
const verdict = (ok) => (ok ? "OK      " : "NOT MET ");
const last = r.steps.at(-1);
const held = Math.max(...r.steps.map((s) => s.held));
console.log("verdict  mesure       objectif");
console.log(`${verdict(held >= target && r.steps.every((s) => !s.dropped))} ${String(held).padEnd(12)} ${target} flux tenus sur ${require("os").cpus().length} cœurs`);
for (const s of r.steps) {
  console.log(`${verdict(s.p99_ms !== null && s.p99_ms < p99max && s.lost === 0)} ${(s.p99_ms + " ms").padEnd(12)} livraison p99 < ${p99max} ms avec ${s.held} flux (${s.lost} perdus)`);
  console.log(`${verdict(Math.max(s.rss_rest_mb, s.rss_after_mb) < rssmax)} ${(Math.max(s.rss_rest_mb, s.rss_after_mb) + " MB").padEnd(12)} RSS < ${rssmax} MB avec ${s.held} flux`);
}
console.log(`${verdict(Number(convP99) < conv)} ${(convP99 + " ms").padEnd(12)} page de conversation p99 < ${conv} ms (${messages} messages, 64 connexions)`);
for (const s of r.steps) {
  if (s.dropped) console.log(`attention : ${s.dropped} flux fermés par le serveur pendant le palier ${s.target}`);
  if (s.post_errors) console.log(`attention : ${s.post_errors} envois refusés (réponse autre que 303) au palier ${s.target}`);
}
if (Object.keys(r.refused).length) console.log(`attention : flux refusés : ${JSON.stringify(r.refused)}`);
' "$tmp/sse.json" "$TARGET_STREAMS" "$TARGET_P99_MS" "$TARGET_RSS_MB" "$TARGET_PAGE_P99_MS" \
	"${PAGE_P50[$CONNS]}" "${PAGE_P99[$CONNS]}" "${PAGE_RPS[$CONNS]}" "${PAGE_ERR[$CONNS]}" \
	"$MESSAGES" "${PAGE_CPU[$CONNS]}" "${PAGE_P50[1]}" "${PAGE_P99[1]}" "${PAGE_RPS[1]}"
if [ "$BUSY_BEFORE" -gt 10 ]; then
	echo "attention : CPU occupé à $BUSY_BEFORE % avant le début : chiffres préliminaires, relancez sur une machine au repos"
fi
exit 0
