#!/usr/bin/env bash
# tools/with-pg.sh — runs a command with a throwaway PostgreSQL cluster (tools/pg-cluster.sh)
# started in build/pg-test (or $CEJ_PG_TEST_DIR), its URL in CEJ_TEST_DATABASE_URL, and
# stops the cluster afterwards whatever the command's outcome. The tests that run on
# PostgreSQL read CEJ_TEST_DATABASE_URL (each makes its own databases in that cluster).
#
#   tools/with-pg.sh meson test -C build --print-errorlogs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${CEJ_PG_TEST_DIR:-$root/build/pg-test}
url=$("$root/tools/pg-cluster.sh" start "$dir")
trap '"$root/tools/pg-cluster.sh" stop "$dir" || true' EXIT
export CEJ_TEST_DATABASE_URL=$url
"$@"
