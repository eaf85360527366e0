#!/usr/bin/env bash
# tools/e2e-alone.sh — every e2e test run alone, one process each, and a pass/fail table.
#
#   tools/e2e-alone.sh                          # every tests/e2e/*.test.mjs
#   tools/e2e-alone.sh tests/e2e/lists.test.mjs # some files only
#   tools/e2e-alone.sh --list [FILES…]          # list the tests, run nothing
#
# The rule it checks (docs/architecture.md, "Tests"): each e2e test passes when it is the
# only test of its file that runs — it makes what it needs itself (account, list, message)
# instead of reading what an earlier test left. Slow (a stack per test, ~40 min for all on
# 2 cores): not part of `make test`. Run from anywhere after `make build` (and node_modules).
#
# How: the tests are listed by importing each file with node:test replaced by a stub that
# records the names (test/it inside describe/suite, dynamic names included) and runs no
# test and no hook. Each test then runs as
#   node --test --test-reporter=tap --test-name-pattern='^<name, regex-escaped>$' FILE
# and counts as passed only when node reports exactly 1 test passed, none failed or
# cancelled, and the exit status is 0 (node 20 matches a pattern against each test's own
# name, and a matching describe runs all its tests: a name shared by two tests or by a
# suite shows as "ambig", not as a pass).
# Logs of failed runs: $E2E_ALONE_LOGS (default /tmp/e2e-alone-logs). Exit status 1 when
# one test did not pass alone.
set -uo pipefail

list_only=0
if [ "${1:-}" = "--list" ]; then list_only=1; shift; fi
files=()
for f in "$@"; do  # relative to the caller's directory
	[ -f "$f" ] || { echo "e2e-alone: no file $f" >&2; exit 2; }
	files+=("$(realpath "$f")")
done
cd "$(dirname "$0")/.."  # the harness runs from the repository root
if [ ${#files[@]} -eq 0 ]; then files=("$(pwd -P)"/tests/e2e/*.test.mjs); fi
logs=${E2E_ALONE_LOGS:-/tmp/e2e-alone-logs}
mkdir -p "$logs"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The node:test stub and the resolve hook that hands it to the test files.
cat >"$tmp/stub.mjs" <<'EOF'
const path = [];
const names = (globalThis.__e2eAloneNames ??= []);
const hook = () => {};
function record(kind) {
	return function (name, opts, fn) {
		if (typeof name === 'function') { fn = name; name = fn.name; }
		if (typeof opts === 'function') fn = opts;
		if (kind === 'suite') {
			path.push(name);
			try { fn?.({}); } finally { path.pop(); }
		} else {
			names.push({ suite: path.join(' > '), name });
		}
	};
}
export const test = record('test');
export const it = test;
export const describe = record('suite');
export const suite = describe;
for (const f of [test, describe]) { f.skip = f; f.todo = f; f.only = f; }
export const before = hook, after = hook, beforeEach = hook, afterEach = hook;
export const mock = {};
export default test;
EOF
cat >"$tmp/hooks.mjs" <<EOF
export async function resolve(specifier, context, next) {
	if (specifier === 'node:test' || specifier === 'test') return { url: 'file://${tmp}/stub.mjs', shortCircuit: true };
	return next(specifier, context);
}
EOF
cat >"$tmp/list.mjs" <<EOF
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(pathToFileURL('${tmp}/hooks.mjs'));
const file = process.argv[2];
await import(pathToFileURL(file));
for (const t of globalThis.__e2eAloneNames ?? []) process.stdout.write(t.name + '\t' + t.suite + '\n');
process.exit(0); // a test file's handles (none expected) must not keep the lister alive
EOF

# '^name$' with the name's regex characters escaped.
pattern() {
	printf '^%s$' "$(printf '%s' "$1" | sed 's/[][\\.*^$?+(){}|/]/\\&/g')"
}

total=0
passed=0
declare -a failed=()
[ "$list_only" = 1 ] || printf '%-6s %-7s %-26s %s\n' RESULT SECONDS FILE TEST
for file in "${files[@]}"; do
	base=$(basename "$file")
	if ! node "$tmp/list.mjs" "$file" >"$tmp/names" 2>"$tmp/list.err"; then
		printf '%-6s %-7s %-26s %s\n' ERROR - "$base" "cannot list the tests: $(head -c 300 "$tmp/list.err")"
		failed+=("$base (listing)")
		continue
	fi
	if [ "$list_only" = 1 ]; then
		while IFS=$'\t' read -r name suite; do
			printf '%s\t%s\t%s\n' "$base" "$suite" "$name"
		done <"$tmp/names"
		continue
	fi
	while IFS=$'\t' read -r name suite; do
		total=$((total + 1))
		label=$name
		[ -n "$suite" ] && label="$suite > $name"
		log="$logs/${base%.test.mjs}.$total.log"
		start=$(date +%s)
		node --test --test-reporter=tap --test-name-pattern="$(pattern "$name")" "$file" >"$log" 2>&1 </dev/null
		rc=$?
		secs=$(($(date +%s) - start))
		count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$log" | tail -n 1; }
		p=$(count pass) f=$(count fail) c=$(count cancelled)
		if [ "$rc" = 0 ] && [ "$p" = 1 ] && [ "$f" = 0 ] && [ "$c" = 0 ]; then
			result=pass
			passed=$((passed + 1))
			rm -f "$log"
		elif [ "${p:-0}" -gt 1 ]; then
			result=ambig
		else
			result=FAIL
		fi
		if [ "$result" != pass ]; then failed+=("$base: $label ($result, pass=${p:-?} fail=${f:-?} cancelled=${c:-?}, log $log)"); fi
		printf '%-6s %-7s %-26s %s\n' "$result" "$secs" "$base" "$label"
	done <"$tmp/names"
done
[ "$list_only" = 1 ] && exit 0

echo
echo "$passed/$total tests pass alone."
if [ ${#failed[@]} -gt 0 ]; then
	echo "Not passing alone:"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
