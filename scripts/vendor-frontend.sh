#!/usr/bin/env bash
# Vendor the front-end packages the web pages and browser tests use, so nothing is loaded from a CDN and
# users need no build step. Run it again after changing a version below; commit what it writes:
#
#   service/pages/static/vendor/yasgui/yasgui.min.{js,css}   @zazuko/yasgui (SPARQL editor + results)
#   tests/e2e/vendor/axe.min.js                              axe-core (accessibility checks in the e2e tests)
#
# Packages come from the npm registry through `npm pack` (the published tarball, integrity-checked against
# the pins below). Only the built files are copied; source maps are dropped.
set -euo pipefail

YASGUI_VERSION=4.6.2
YASGUI_SHA512="sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="
AXE_VERSION=4.14.1
AXE_SHA512="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATIC_VENDOR="$ROOT/service/pages/static/vendor"
TEST_VENDOR="$ROOT/tests/e2e/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "npm is needed (apt-get install -y npm)" >&2; exit 1; }

# fetch NAME VERSION EXPECTED_SHA512 -> unpacks into $WORK/NAME/package
fetch() {
  local name="$1" version="$2" expected="$3" dir tarball actual
  dir="$WORK/${name//[@\/]/_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null 2>"$dir/npm.log") || { cat "$dir/npm.log" >&2; exit 1; }
  tarball="$(ls "$dir"/*.tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  local published
  published="$(cd "$dir" && npm view "$name@$version" dist.integrity 2>/dev/null)"
  if [[ "$actual" != "$published" ]]; then
    echo "integrity mismatch for $name@$version: got $actual, registry says $published" >&2; exit 1
  fi
  if [[ -n "$expected" && "$actual" != "$expected" ]]; then
    echo "integrity mismatch for $name@$version: got $actual, pinned $expected" >&2; exit 1
  fi
  tar xzf "$tarball" -C "$dir"
  echo "$name@$version $actual" >>"$WORK/versions.txt"
  echo "$dir/package"
}

strip_map() { sed -i -e '/^\/[\/*][#@] sourceMappingURL=/d' -e 's|/\*# sourceMappingURL=[^*]*\*/||' "$1"; }

yasgui="$(fetch @zazuko/yasgui "$YASGUI_VERSION" "$YASGUI_SHA512")"
axe="$(fetch axe-core "$AXE_VERSION" "$AXE_SHA512")"

rm -rf "$STATIC_VENDOR/yasgui"
mkdir -p "$STATIC_VENDOR/yasgui" "$TEST_VENDOR"
cp "$yasgui/build/yasgui.min.js" "$yasgui/build/yasgui.min.css" "$STATIC_VENDOR/yasgui/"
strip_map "$STATIC_VENDOR/yasgui/yasgui.min.js"
strip_map "$STATIC_VENDOR/yasgui/yasgui.min.css"
cp "$axe/axe.min.js" "$TEST_VENDOR/axe.min.js"
cp "$axe/LICENSE" "$TEST_VENDOR/axe-core.LICENSE"

{
  echo "# Vendored by scripts/vendor-frontend.sh; do not edit by hand."
  grep yasgui "$WORK/versions.txt"
  echo "license: MIT (https://github.com/zazuko/Yasgui); bundles CodeMirror 5 (MIT), DOMPurify (Apache-2.0/MPL-2.0), lodash (MIT) and others"
} >"$STATIC_VENDOR/yasgui/VERSION"
{
  echo "# Vendored by scripts/vendor-frontend.sh; do not edit by hand."
  grep axe-core "$WORK/versions.txt"
  echo "license: MPL-2.0 (axe-core.LICENSE)"
} >"$TEST_VENDOR/VERSION"

du -sh "$STATIC_VENDOR/yasgui" "$TEST_VENDOR"
