#!/bin/sh
# Lists the regular files under $1 (relative to the source root), sorted, one per line:
# the inputs of an embedded file table (meson.build). Missing directory: nothing.
cd "${MESON_SOURCE_ROOT:-.}" || exit 1
[ -d "$1" ] || exit 0
find "$1" -type f ! -name '.*' | LC_ALL=C sort
