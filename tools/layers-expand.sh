#!/usr/bin/env bash
# Expands tools/layers.txt into one line per folder of src/: "FOLDER LIBRARY ALLOWED…",
# in layer order, with @below, @features and @all resolved. The feature folders are those
# of src/serve/features.def that layers.txt does not place elsewhere (auth declares a
# feature but is a layer of its own), so adding a feature never touches layers.txt.
# Usage: tools/layers-expand.sh SRC_DIR
set -euo pipefail
src=$1
map=$(dirname "$0")/layers.txt
features=$(sed -n 's/^FEATURE(\([a-z_]*\))$/\1/p' "$src/serve/features.def" | tr '\n' ' ')
awk -v features="$features" '
	/^[ \t]*(#|$)/ { next }
	{ line[++n] = $0; placed[$1] = 1 }
	END {
		nf = split(features, fl, " ")
		for (i = 1; i <= nf; i++) if (!(fl[i] in placed)) fset = fset " " fl[i]
		for (i = 1; i <= n; i++) {
			split(line[i], w, /[ \t]+/)
			if (w[1] == "@features") { for (k = 1; k <= nf; k++) if (!(fl[k] in placed)) emit(fl[k], line[i]); continue }
			emit(w[1], line[i])
		}
	}
	function emit(folder, l,    w, i, r, lib, m) {
		m = split(l, w, /[ \t]+/); lib = w[2]; r = ""
		for (i = 3; i <= m; i++) r = r " " w[i]
		gsub(/@below/, below_of(lib), r); gsub(/@features/, fset, r); gsub(/@all/, all_folders(), r)
		print folder, lib r
	}
	function below_of(lib,    i, w, r) {
		r = ""
		for (i = 1; i <= n; i++) { split(line[i], w, /[ \t]+/); if (w[2] == lib) break; if (w[1] !~ /^@/) r = r " " w[1] }
		return r
	}
	function all_folders(    i, w, r) {
		r = fset
		for (i = 1; i <= n; i++) { split(line[i], w, /[ \t]+/); if (w[1] !~ /^@/) r = r " " w[1] }
		return r
	}' "$map"
