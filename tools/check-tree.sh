#!/bin/sh
# Fails when git tracks a file that .gitignore excludes: a committed build marker
# (.deps.stamp once) made a fresh clone skip the package installation.
cd "$(dirname "$0")/.." || exit 1
[ -d .git ] || [ -f .git ] || exit 0
command -v git >/dev/null || exit 0
bad=$(git ls-files -ci --exclude-standard)
if [ -n "$bad" ]; then
	echo "Fichiers suivis par git alors que .gitignore les exclut (à retirer : git rm --cached) :" >&2
	echo "$bad" >&2
	exit 1
fi
