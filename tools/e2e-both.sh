#!/usr/bin/env bash
# tools/e2e-both.sh — the whole e2e suite on SQLite and, at the same time, on PostgreSQL
# (a throwaway cluster, tools/with-pg.sh; CEJ_E2E_DATABASE_URL gives each stack its own
# database there, and cluster.test.mjs its two nodes). Most of an e2e test's time is
# waiting (the stack's start, timers, the browser), so the two runs share the two cores
# instead of taking twice as long one after the other.
#
# Each engine runs the files one after the other, one node process per file: each run's TAP
# output goes to build/e2e-<engine>.log and each file's wall time to
# build/e2e-<engine>-times.tsv (file, seconds, exit status), so that the slow files are
# known (the ten slowest are printed). The failures are printed. Exit status: 0 when both pass.
#
# phones.test.mjs walks every page at two widths; the walk of the 390 px phone runs on
# SQLite, the walk of the 1366 px screen on PostgreSQL (CEJ_E2E_WIDTHS), so that every page
# is still opened on both engines and axe still runs at both widths, at half the cost.
#
#   tools/e2e-both.sh                 # both engines
#   E2E_ENGINES=postgres tools/e2e-both.sh   # one of them (the phones walk at both widths)
#   E2E_FILES="tests/e2e/cluster.test.mjs tests/e2e/sse.test.mjs" tools/e2e-both.sh
set -uo pipefail
cd "$(dirname "$0")/.."

# The files of one engine, one after the other (called by the script itself, under
# tools/with-pg.sh for PostgreSQL).
if [ "${1:-}" = --run ]; then
	engine=$2
	log=build/e2e-$engine.log times=build/e2e-$engine-times.tsv
	: >"$log"
	: >"$times"
	[ "$engine" = postgres ] && export CEJ_E2E_DATABASE_URL=$CEJ_TEST_DATABASE_URL
	status=0
	# shellcheck disable=SC2086 # a list of files or folders
	for f in $(find $E2E_FILES_LIST -name '*.test.mjs' | sort); do
		start=$(date +%s)
		node --test --test-concurrency=1 --test-reporter=tap "$f" >>"$log" 2>&1
		rc=$?
		[ $rc -eq 0 ] || status=1
		printf '%s\t%d\t%d\n' "$f" $(( $(date +%s) - start )) $rc >>"$times"
	done
	exit $status
fi

engines=${E2E_ENGINES:-sqlite postgres}
export E2E_FILES_LIST=${E2E_FILES:-tests/e2e/}
mkdir -p build
declare -A pid
for e in $engines; do
	: >"build/e2e-$e.log"   # never a previous run's, should this one not start
	: >"build/e2e-$e-times.tsv"
	widths=phone,laptop
	[ "$engines" = "sqlite postgres" ] && { [ $e = sqlite ] && widths=phone || widths=laptop; }
	case $e in
	sqlite) CEJ_E2E_WIDTHS=$widths "$0" --run sqlite & ;;
	postgres)
		CEJ_E2E_WIDTHS=$widths CEJ_PG_TEST_DIR=$PWD/build/pg-e2e \
			tools/with-pg.sh "$0" --run postgres >build/e2e-postgres-cluster.log 2>&1 &
		;;
	*) echo "e2e-both: moteur inconnu $e" >&2; exit 2 ;;
	esac
	pid[$e]=$!
done
status=0
for e in $engines; do
	wait "${pid[$e]}"
	rc=$?
	log=build/e2e-$e.log
	count() { grep -E "^# $1 [0-9]+" "$log" | awk '{s += $3} END {print s + 0}'; }
	secs=$(awk -F'\t' '{s += $2} END {print s + 0}' "build/e2e-$e-times.tsv")
	echo "e2e ($e) : $(count tests) tests, $(count pass) réussis, $(count fail) échoués," \
		"$(count skipped) ignorés, $((secs / 60)) min $((secs % 60)) s (journal : $log)"
	echo "  les plus longs :" $(sort -t$'\t' -k2,2nr "build/e2e-$e-times.tsv" | head -n 10 |
		awk -F'\t' '{n = split($1, p, "/"); printf "%s %ds, ", p[n], $2}')
	if [ $rc -ne 0 ]; then
		status=1
		echo "---- e2e ($e) : échecs ----"
		awk -F'\t' '$3 != 0 {print "  " $1 " (code " $3 ")"}' "build/e2e-$e-times.tsv"
		grep -n -B2 -A30 '^\s*not ok' "$log" | head -n 400
		[ $e = postgres ] && tail -n 20 build/e2e-postgres-cluster.log
	fi
done
exit $status
