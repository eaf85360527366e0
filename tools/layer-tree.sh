#!/usr/bin/env bash
# Builds the include trees that make the layers of tools/layers.txt a compile error to
# cross: OUT/<library>/ holds one symlink per folder that library may include (its own
# folders and those listed after them). meson compiles each library with -I OUT/<library>
# and without src/, so `#include "serve/x.h"` from view/ finds no file.
# Then prints, per library in layer order: "library folder,folder,…".
# Usage: tools/layer-tree.sh SRC_DIR OUT_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
out=$2
rm -rf "$out"
mkdir -p "$out"
"$(dirname "$0")/layers-expand.sh" "$src" | while read -r folder lib allowed; do
	mkdir -p "$out/$lib"
	for f in $folder $allowed; do
		[ -e "$out/$lib/$f" ] || ln -s "$src/$f" "$out/$lib/$f"
	done
	echo "$lib $folder"
done | awk '{ if (!($1 in seen)) { order[++n] = $1; seen[$1] = 1 } f[$1] = f[$1] (f[$1] ? "," : "") $2 }
	END { for (i = 1; i <= n; i++) print order[i], f[order[i]] }'
