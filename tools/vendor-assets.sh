#!/bin/sh
# Copies the browser assets the pages need from node_modules/ into static/vendor/,
# which the build embeds into the binary (static/vendor/ is git-ignored: built, not committed).
#
#   npm ci --ignore-scripts      # @gouvfr/dsfr's preinstall script fails outside its generator
#   sh tools/vendor-assets.sh
#
# Layout (relative to static/):
#   vendor/dsfr/dsfr.min.css                    <link rel="stylesheet">
#   vendor/dsfr/utility/icons/icons.min.css     <link rel="stylesheet">  (fr-icon-* classes)
#   vendor/dsfr/dsfr.module.min.js              <script type="module">
#   vendor/dsfr/dsfr.nomodule.min.js            <script nomodule>
#   vendor/dsfr/fonts/  vendor/dsfr/icons/  vendor/dsfr/favicon/
#   vendor/dsfr/favicon/favicon-notification.svg   drawn here from favicon.svg
#   vendor/htmx/htmx.min.js                     <script>  (htmx.org 2.x)
#   vendor/htmx/sse.min.js                      <script>  (htmx-ext-sse 2.x, after htmx)
# DSFR's relative layout is kept, so the css's url(fonts/…), url(icons/…) and
# url(../../icons/…) resolve; the script checks every url(…) and fails if one does not.
#
# Idempotent: static/vendor/ is removed first. POSIX sh.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
NM="$ROOT/node_modules"
OUT="$ROOT/static/vendor"
DSFR="$NM/@gouvfr/dsfr/dist"
HTMX="$NM/htmx.org/dist"
SSE="$NM/htmx-ext-sse/dist"

die() { printf 'vendor-assets: %s\n' "$*" >&2; exit 1; }

# version of an installed package, from its package.json (no node needed)
pkg_version() {
    sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$NM/$1/package.json" | head -n 1
}

for p in @gouvfr/dsfr htmx.org htmx-ext-sse; do
    [ -f "$NM/$p/package.json" ] ||
        die "$NM/$p is missing: run 'npm ci --ignore-scripts' in $ROOT first"
done
# htmx 4 (npm's latest) has another SSE syntax: the pages are written for 2.x.
case "$(pkg_version htmx.org)" in 2.*) ;; *) die "htmx.org $(pkg_version htmx.org) installed, 2.x expected (npm ci?)" ;; esac
case "$(pkg_version htmx-ext-sse)" in 2.*) ;; *) die "htmx-ext-sse $(pkg_version htmx-ext-sse) installed, 2.x expected" ;; esac
case "$(pkg_version @gouvfr/dsfr)" in 1.*) ;; *) die "@gouvfr/dsfr $(pkg_version @gouvfr/dsfr) installed, 1.x expected" ;; esac

# copy FILE DEST_DIR: fails loudly when the source is missing
put() {
    [ -f "$1" ] || die "missing source file $1"
    mkdir -p "$2"
    cp "$1" "$2/"
}
# copy a directory's content (recursively), without source maps nor dot files
putdir() {
    [ -d "$1" ] || die "missing source directory $1"
    mkdir -p "$2"
    cp -R "$1/." "$2/"
}

rm -rf "$OUT"
mkdir -p "$OUT/dsfr" "$OUT/htmx"

# --- DSFR ------------------------------------------------------------------------------------
put "$DSFR/dsfr.min.css"              "$OUT/dsfr"
put "$DSFR/dsfr.module.min.js"        "$OUT/dsfr"
put "$DSFR/dsfr.nomodule.min.js"      "$OUT/dsfr"
put "$DSFR/utility/icons/icons.min.css" "$OUT/dsfr/utility/icons"
putdir "$DSFR/fonts"   "$OUT/dsfr/fonts"
putdir "$DSFR/icons"   "$OUT/dsfr/icons"     # all of it: ~0.5 MB, and icons.min.css uses every folder
putdir "$DSFR/favicon" "$OUT/dsfr/favicon"
# The "notification" variant of the counselor's favicon (messaging.md §4): DSFR's own, with
# a red dot ringed with white (it stands on the red of the flag) in its top right corner.
sed 's|</svg>[[:space:]]*$|<circle cx="800" cy="280" r="250" fill="#e1000f" stroke="#fff" stroke-width="90"/></svg>|' \
    "$OUT/dsfr/favicon/favicon.svg" > "$OUT/dsfr/favicon/favicon-notification.svg"
grep -q '<circle cx="800"' "$OUT/dsfr/favicon/favicon-notification.svg" ||
    die "favicon.svg does not end with </svg>: cannot draw favicon-notification.svg"
put "$NM/@gouvfr/dsfr/LICENSE.md"     "$OUT/dsfr"

# --- htmx 2 + SSE extension -----------------------------------------------------------------
put "$HTMX/htmx.min.js" "$OUT/htmx"
put "$SSE/sse.min.js"   "$OUT/htmx"
cp "$NM/htmx.org/LICENSE" "$OUT/htmx/LICENSE.htmx" 2>/dev/null || true
cp "$NM/htmx-ext-sse/LICENSE" "$OUT/htmx/LICENSE.htmx-ext-sse" 2>/dev/null || true

# No source maps (not shipped), no dot files; and drop the "//# sourceMappingURL=" trailer of
# the js files, which would only make browser dev tools ask for a .map that is not served.
find "$OUT" \( -name '*.map' -o -name '.*' -o -name '*.gz' \) -type f -exec rm -f {} +
for f in "$OUT"/dsfr/*.js "$OUT"/htmx/*.js; do
    if grep -q '^//# sourceMappingURL=' "$f"; then
        sed '/^\/\/# sourceMappingURL=/d' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
    fi
done

# --- check: every url(...) of every copied css resolves to a copied file, inside $OUT --------
# css_urls FILE REL: prints, for each url() of FILE that is not a data:, absolute or
# fragment-only URL, "REL-of-FILE<TAB>URL<TAB>TARGET" where TARGET is the referenced path
# normalised relative to $OUT, or "!outside" when it climbs out of $OUT. REL is FILE's path
# relative to $OUT.
css_urls() {
    awk -v rel="$2" '
    function resolve(base, u,    n, parts, out, k, i, p) {
        n = split(base "/" u, parts, "/"); k = 0
        for (i = 1; i <= n; i++) {
            p = parts[i]
            if (p == "" || p == ".") continue
            if (p == "..") { if (k == 0) return "!outside"; k--; continue }
            out[++k] = p
        }
        p = out[1]; for (i = 2; i <= k; i++) p = p "/" out[i]
        return p
    }
    BEGIN { dir = rel; if (!sub(/\/[^\/]*$/, "", dir)) dir = "" }
    {
        s = $0
        while ((i = index(s, "url(")) > 0) {
            s = substr(s, i + 4)
            sub(/^[ \t]+/, "", s)
            q = substr(s, 1, 1)
            if (q == "\"" || q == "\047") {
                s = substr(s, 2); j = index(s, q)
                if (j == 0) { u = s; s = "" } else { u = substr(s, 1, j - 1); s = substr(s, j + 1) }
            } else {
                j = index(s, ")")
                if (j == 0) { u = s; s = "" } else { u = substr(s, 1, j - 1); s = substr(s, j + 1) }
                sub(/[ \t]+$/, "", u)
            }
            if (u == "" || u ~ /^(data:|[a-zA-Z][a-zA-Z0-9+.-]*:|\/|#)/) {
                if (u ~ /^\// && u !~ /^\/\//) print rel "\t" u "\t!absolute"
                continue
            }
            sub(/[?#].*$/, "", u)
            print rel "\t" u "\t" resolve(dir, u)
        }
    }' "$1"
}

LIST=$(mktemp)
trap 'rm -f "$LIST"' EXIT
(cd "$OUT" && find . -type f -name '*.css' | sed 's|^\./||' | LC_ALL=C sort) | while IFS= read -r rel; do
    css_urls "$OUT/$rel" "$rel"
done | LC_ALL=C sort -u > "$LIST"

missing=0
checked=0
TAB=$(printf '\t')
# read from a file (not a pipe) so the counters survive the loop
while IFS="$TAB" read -r css url target; do
    checked=$((checked + 1))
    case "$target" in
        '!'*) ok=0 ;;                      # climbs out of static/vendor, or root-absolute
        *) if [ -f "$OUT/$target" ]; then ok=1; else ok=0; fi ;;
    esac
    if [ "$ok" -eq 0 ]; then
        printf 'vendor-assets: MISSING %s (%s) referenced by vendor/%s\n' "$url" "$target" "$css" >&2
        missing=$((missing + 1))
    fi
done < "$LIST"
[ "$checked" -gt 0 ] || die "no url() found in the copied css: the check itself is broken"
[ "$missing" -eq 0 ] || die "$missing url() reference(s) in the copied css do not resolve to a copied file"

# the web manifest's icons too
manifest="$OUT/dsfr/favicon/manifest.webmanifest"
if [ -f "$manifest" ]; then
    for src in $(sed -n 's/.*"src"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$manifest"); do
        [ -f "$OUT/dsfr/favicon/$src" ] || die "MISSING $src referenced by favicon/manifest.webmanifest"
    done
fi

files=$(find "$OUT" -type f | wc -l | tr -d ' ')
bytes=$(find "$OUT" -type f -exec cat {} + | wc -c | tr -d ' ')
printf 'vendor-assets: dsfr %s, htmx.org %s, htmx-ext-sse %s -> %s\n' \
    "$(pkg_version @gouvfr/dsfr)" "$(pkg_version htmx.org)" "$(pkg_version htmx-ext-sse)" "${OUT#"$ROOT"/}"
printf 'vendor-assets: %s files, %s bytes (%s KiB); %s css url() references checked, all resolve\n' \
    "$files" "$bytes" "$((bytes / 1024))" "$checked"
