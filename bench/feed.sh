#!/usr/bin/env bash
# bench/feed.sh — the i-milo event feed under a burst (issue 13, point 10): 10,000
# rendez-vous created at the simulator's desk for 12 activated beneficiaries of Brest, then
# cej started: its feed polls E1 (100 events a call, the next call at once while full),
# stores each event as its job and acks it, and each job reads E3 and writes the local
# copy and its notification. Measured: the events per second from the first received to
# the last done, and each event's lag, from the desk's change (its E1 date) and from its
# receipt to done.
# The client's rate limit (imilo_rate_per_s, 3 requests a second per family in the i-milo
# contract) is off here, to measure cej: with it, each RDV event's E3 read bounds the feed
# to 3 events a second whatever cej can do. A benchmark, not a test: it prints numbers and
# exits 0 (non-zero only when the set-up itself fails). See bench/README.md, "feed.sh".
#
#   bench/feed.sh                 BURST=10000 events
#   BURST=1000 bench/feed.sh      a short run, to check that it works
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
BURST=${BURST:-10000}
DOSSIERS=(100001 100004 100007 100010 100013 100016 100019 100022 100025 100028 100031 100034)

[ -x "$CEJ" ] || die "$CEJ introuvable : lancez d'abord « make build »"
command -v sqlite3 >/dev/null || die "sqlite3 introuvable"
bench_init feed
echo "== cej bench feed : rafale de $BURST événements i-milo, $CORES cœurs, arbre $REV"
busy_before

# 1. The simulator, and cej's database: the demo counselors, and 12 activated beneficiaries
#    of Brest whose dossiers the desk changes.
start_sim
export CEJ_DB_PATH=$tmp/cej.db CEJ_QUIET=true CEJ_MAIL_TRANSPORT=file:$tmp/outbox
"$CEJ" migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; die "cej migrate a échoué"; }
"$CEJ" seed --demo --sans-exemples >"$tmp/seed.log" 2>&1 ||
	{ cat "$tmp/seed.log" >&2; die "cej seed a échoué"; }
now_ms=$(($(date +%s) * 1000))
for i in "${!DOSSIERS[@]}"; do
	d=${DOSSIERS[$i]}
	sqlite3 "$tmp/cej.db" "INSERT INTO beneficiary(id, structure_id, counselor_id, first_name,
		last_name, search_folded, email, imilo_dossier_id, dispositif, created_at, activated_at)
		SELECT printf('00000000-0000-7000-8000-%012d', $d), structure_id, id, 'Jeune', 'Charge $i',
		'charge $i jeune', 'jeune-$d@cej-bench.fr', '$d', 'CEJ', $now_ms, $now_ms
		FROM counselor WHERE email = 'camille.martin@cej-demo.fr'" || die "bénéficiaire $d"
done

# 2. The burst at the desk: one rendez-vous a change, over the next 60 days.
t0=$(date +%s.%N)
# Node's fetch, 16 at a time over keep-alive connections.
SIM_URL=$SIM_URL SIM_ADMIN=$SIM_ADMIN BURST=$BURST DOSSIERS="${DOSSIERS[*]}" node -e '
  const { SIM_URL, SIM_ADMIN, BURST, DOSSIERS } = process.env;
  const dossiers = DOSSIERS.split(" "), n = Number(BURST);
  const day = (i) => new Date(Date.now() + (i % 60 + 1) * 86400000).toISOString().slice(0, 10);
  let next = 1, failed = 0;
  async function worker() {
    for (let i = next++; i <= n; i = next++) {
      const h = String(8 + i % 9).padStart(2, "0");
      const r = await fetch(`${SIM_URL}/_admin/dossiers/${dossiers[i % dossiers.length]}/rdv`, {
        method: "POST", headers: { "X-Admin-Token": SIM_ADMIN, "Content-Type": "application/json" },
        body: JSON.stringify({ dateHeureDebut: `${day(i)} ${h}:00:00`, dateHeureFin: `${day(i)} ${h}:45:00`,
          objet: `Point ${i}`, conseiller: "Camille Martin", type: "Entretien individuel" }) });
      if (r.status !== 201) failed++;
      await r.arrayBuffer();
    }
  }
  Promise.all(Array.from({ length: 16 }, worker)).then(() => process.exit(failed ? 1 : 0));
' || die "la rafale au guichet a échoué"
unacked=$(curl -fsS -H "X-Admin-Token: $SIM_ADMIN" "$SIM_URL/_admin/state" |
	sed -n 's/.*"eventsUnacked":\([0-9]*\).*/\1/p')
printf '   guichet : %s rendez-vous créés en %.1f s ; %s événements à lire\n' "$BURST" \
	"$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$unacked"
[ "$unacked" -ge "$BURST" ] || die "$unacked événements au lieu de $BURST"

# 3. cej, its feed every second, no rate limit; wait until every event is done.
start_cej CEJ_IMILO_FEED_INTERVAL_S=1 CEJ_IMILO_RATE_PER_S=0
cpu0=$(cpu_ticks "$cej_pid") started=$(date +%s)
done_n=0
while [ "$done_n" -lt "$BURST" ]; do
	sleep 1
	done_n=$(sqlite3 -cmd '.timeout 5000' "$tmp/cej.db" \
		"SELECT count(*) FROM imilo_feed_event WHERE state = 'done'")
	[ $(( $(date +%s) - started )) -lt 900 ] || die "$done_n événements traités en 15 min"
done
cpu1=$(cpu_ticks "$cej_pid")

# 4. Numbers, from cej's own record of each event.
q() { sqlite3 -cmd '.timeout 5000' "$tmp/cej.db" "$1"; }
span_ms=$(q "SELECT max(finished_at) - min(received_at) FROM imilo_feed_event")
pct() {   # column expression, fraction (< 1) → its value at that rank (ms); 1 → the largest
	if [ "$2" = 1 ]; then q "SELECT max($1) FROM imilo_feed_event WHERE state = 'done'"; return; fi
	q "SELECT $1 FROM imilo_feed_event WHERE state = 'done' ORDER BY 1
	   LIMIT 1 OFFSET (SELECT CAST(count(*) * $2 AS INTEGER) FROM imilo_feed_event WHERE state = 'done')"
}
copies=$(q "SELECT count(*) FROM event WHERE type = 'RENDEZ_VOUS_MILO'")
told=$(q "SELECT count(*) FROM notification WHERE type = 'NEW_APPOINTMENT'")
echo
echo "== Résultats ($(date '+%Y-%m-%d %H:%M'), $CORES cœurs, arbre $REV)"
printf 'événements traités      %s (%s copies de rendez-vous, %s notifications)\n' "$done_n" "$copies" "$told"
printf 'débit                   %s événements/s (de la première réception au dernier traité : %.1f s)\n' \
	"$(awk -v n="$done_n" -v ms="$span_ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')" \
	"$(awk -v ms="$span_ms" 'BEGIN { print ms / 1000 }')"
printf 'CPU de cej              %.2f ms par événement\n' \
	"$(awk -v t=$((cpu1 - cpu0)) -v hz="$HZ" -v n="$done_n" 'BEGIN { print t * 1000 / hz / n }')"
for f in 0.5 0.99 1; do
	printf 'retard %-4s             reçu → traité %6.1f s ; guichet → traité %6.1f s\n' \
		"$(awk -v f=$f 'BEGIN { print (f == 1 ? "max" : "p" f * 100) }')" \
		"$(awk -v v="$(pct 'finished_at - received_at' $f)" 'BEGIN { print v / 1000 }')" \
		"$(awk -v v="$(pct "finished_at - unixepoch(event_date) * 1000" $f)" 'BEGIN { print v / 1000 }')"
done 2>/dev/null || true
echo "CPU occupé par d'autres processus : $BUSY_BEFORE % juste avant le début"
echo "avec la limite du contrat (3 requêtes/s par famille), chaque lecture E3 borne le flux à 3 événements/s :" \
	"$BURST événements en $(( BURST / 3 / 60 )) min"
exit 0
