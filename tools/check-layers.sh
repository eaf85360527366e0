#!/usr/bin/env bash
# Checks the include graph of src/ against tools/layers.txt: no include upward, no private
# header of another feature (_store.h, _web.h, _app.h, _tab.h), no include cycle between
# files (x.c and x.h count as one module) nor between feature folders. Prints each problem
# and exits 1; run by `meson test` (test "layers") and so by `make test`.
# Usage: tools/check-layers.sh [SRC_DIR]   (default: src/ beside this script)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../src}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The table, one line per folder: "folder library allowed-folders…".
"$here/layers-expand.sh" "$src" >"$tmp/layers"

# Every project include: "file<TAB>included path".
(cd "$src" && grep -rHoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' --include='*.c' --include='*.h' . |
	sed -E 's|^\./||; s|:[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)"|\t\1|') >"$tmp/includes"

status=0
awk -F'\t' -v layers="$tmp/layers" '
	BEGIN {
		while ((getline line < layers) > 0) {
			split(line, f, " ")
			kind[f[1]] = f[2]
			for (i = 3; i in f; i++) ok[f[1] SUBSEP f[i]] = 1
		}
	}
	{
		file = $1; inc = $2
		from = file ~ /\// ? substr(file, 1, index(file, "/") - 1) : "main.c"
		to = inc ~ /\// ? substr(inc, 1, index(inc, "/") - 1) : ""
		if (to == "" || from == to) next
		if (from == "main.c") next                      # the dispatcher sees everything
		if (!(from in kind)) { printf "%s : dossier %s absent de tools/layers.txt\n", file, from; bad = 1; next }
		if (!(to in kind)) next                         # generated or system header
		if (!((from SUBSEP to) in ok)) {
			printf "%s inclut %s : la couche %s (%s) ne peut pas dépendre de %s (%s)\n", file, inc, from, kind[from], to, kind[to]
			bad = 1; next
		}
		if (kind[from] == "features" && kind[to] == "features" && inc ~ /_(store|web|app|tab)\.h$/) {
			printf "%s inclut %s : en-tête privé de la fonctionnalité %s (passer par son en-tête public)\n", file, inc, to
			bad = 1
		}
	}
	END { exit bad }' "$tmp/includes" || status=1

# Cycles between files: only headers are included, so a cycle runs through headers.
# (Within a folder, x.c using x_store.h while x_store.c uses x.h's types is no cycle.)
awk -F'\t' '$1 ~ /\.h$/ { print $1, $2 }' "$tmp/includes" >"$tmp/edges"
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loop"; then
	echo "cycle d'inclusions entre en-têtes :"; grep -v "input contains a loop" "$tmp/loop" | sed 's/^tsort: /  /'
	status=1
fi
# Cycles between feature folders.
awk -F'\t' -v layers="$tmp/layers" '
	BEGIN { while ((getline line < layers) > 0) { split(line, f, " "); kind[f[1]] = f[2] } }
	{ a = substr($1, 1, index($1, "/") - 1); b = substr($2, 1, index($2, "/") - 1)
	  if (kind[a] == "features" && kind[b] == "features") print a, b }' "$tmp/includes" |
	sort -u >"$tmp/fedges"
if ! tsort "$tmp/fedges" >/dev/null 2>"$tmp/floop"; then
	echo "cycle entre dossiers de fonctionnalités :"; grep -v "input contains a loop" "$tmp/floop" | sed 's/^tsort: /  /'
	status=1
fi
[ $status = 0 ] && echo "couches : $(wc -l <"$tmp/includes") inclusions vérifiées, aucune remontée ni cycle"
exit $status
