#!/usr/bin/env bash
# make run: migrate, seed the demo data, start the i-milo simulator in the background and
# the server in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
CEJ=${CEJ_BIN:-build/cej}
mkdir -p -m 700 var   # the database and the outbox: personal data
# The demo mailbox (/demo/courriels) shows every mail, activation and reset links
# included: on for the demo, refused by cej on a non-loopback CEJ_BIND unless
# CEJ_DEMO_MAILBOX_PUBLIC=1 (README).
export CEJ_DEMO_MAILBOX=${CEJ_DEMO_MAILBOX:-1}

"$CEJ" migrate
"$CEJ" seed --demo
# The communes and départements (data/geo/, docs/geo.md): the offers' "Lieu de travail".
# An upsert: the same rows on every start, 0.3 s.
"$CEJ" offers communes import data/geo/departements.csv data/geo/communes.csv >/dev/null
# The demo catalogue of offers (offers.md §8.6): the same for the same seed, updated in
# place on every start.
"$CEJ" offers demo --seed 42 --departements 29,75,974

port=${CEJ_PORT:-8080}
sim_port=${CEJ_SIM_PORT:-8090}
# Given explicitly so that the desk page's address printed below holds the right token.
sim_token=${CEJ_SIM_ADMIN_TOKEN:-admin-demo}
"$CEJ" imilo-sim --port "$sim_port" --admin-token "$sim_token" >var/imilo-sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 50); do
	grep -q "écoute sur" var/imilo-sim.log 2>/dev/null && break
	kill -0 $sim 2>/dev/null || { cat var/imilo-sim.log; exit 1; }
	sleep 0.1
done

mailbox_line="    Boîte mail de démo     http://localhost:$port/demo/courriels"
case $CEJ_DEMO_MAILBOX in
0 | false | no) mailbox_line="    Boîte mail de démo     désactivée (CEJ_DEMO_MAILBOX=$CEJ_DEMO_MAILBOX)" ;;
esac

cat <<MSG

  cej est prêt.
    Espace conseiller      http://localhost:$port/connexion
    Application jeune      http://localhost:$port/app
$mailbox_line
    Simulateur i-milo      http://127.0.0.1:$sim_port  (journal : var/imilo-sim.log)
    Guichet i-milo         http://127.0.0.1:$sim_port/_admin/guichet?jeton=$sim_token

  Conseillers de démonstration (mot de passe Conseiller1!) :
    camille.martin@cej-demo.fr   Mission Locale du Pays de Brest
    yann.le-goff@cej-demo.fr     Mission Locale du Pays de Brest (superviseur)
    sophie.durand@cej-demo.fr    Mission Locale de Paris
    mael.payet@cej-demo.fr       Mission Locale Sud Réunion
  Chaque conseiller a cinq bénéficiaires de démonstration et une semaine d'agenda
    (rendez-vous, animations collectives : /agenda).
  Dossiers i-milo à ajouter : 100001 à 100036, un sur trois par Mission Locale
    (100001, 100004… Brest ; 100002, 100005… Paris ; 100003, 100006… Réunion) ;
    100037 à 100040 : cas particuliers (déjà rattaché, sans e-mail, autre Mission Locale,
    non justifié).

  Ctrl-C pour arrêter.

MSG
"$CEJ" serve
