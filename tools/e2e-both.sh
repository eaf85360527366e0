#!/usr/bin/env bash
# tools/e2e-both.sh — the whole e2e suite on SQLite and, at the same time, on PostgreSQL
# (a throwaway cluster, tools/with-pg.sh; CEJ_E2E_DATABASE_URL gives each stack its own
# database there, and cluster.test.mjs its two nodes). Most of an e2e test's time is
# waiting (the stack's start, timers, the browser), so the two runs share the two cores
# instead of taking twice as long one after the other. Each run's TAP output goes to
# build/e2e-<engine>.log; the failures are printed. Exit status: 0 when both pass.
#
#   tools/e2e-both.sh                 # both engines
#   E2E_ENGINES=postgres tools/e2e-both.sh   # one of them
#   E2E_FILES="tests/e2e/cluster.test.mjs tests/e2e/sse.test.mjs" tools/e2e-both.sh
set -uo pipefail
cd "$(dirname "$0")/.."
engines=${E2E_ENGINES:-sqlite postgres}
files=${E2E_FILES:-tests/e2e/}
export E2E_FILES_LIST=$files
mkdir -p build
declare -A pid
for e in $engines; do
	log=build/e2e-$e.log
	case $e in
	# shellcheck disable=SC2086 # a list of files
	sqlite) node --test --test-concurrency=1 --test-reporter=tap $files >"$log" 2>&1 & ;;
	postgres)
		CEJ_PG_TEST_DIR=$PWD/build/pg-e2e tools/with-pg.sh sh -c \
			'CEJ_E2E_DATABASE_URL=$CEJ_TEST_DATABASE_URL exec node --test --test-concurrency=1 --test-reporter=tap $E2E_FILES_LIST' \
			>"$log" 2>&1 &
		;;
	*) echo "e2e-both: moteur inconnu $e" >&2; exit 2 ;;
	esac
	pid[$e]=$!
done
status=0
for e in $engines; do
	wait "${pid[$e]}"
	rc=$?
	summary=$(grep -E '^# (tests|pass|fail|cancelled|skipped|duration_ms)' "build/e2e-$e.log" | tr '\n' ' ')
	echo "e2e ($e) : ${summary:-pas de résumé} (journal : build/e2e-$e.log)"
	if [ $rc -ne 0 ]; then
		status=1
		echo "---- e2e ($e) : échecs ----"
		grep -n -B2 -A30 '^\s*not ok' "build/e2e-$e.log" | head -n 400
	fi
done
exit $status
