#!/bin/sh
# Regenerates assets/screenshot.svg: the app on the built-in library, drawn into ratatui's
# TestBackend (120x35) by examples/screenshot.rs after the keys below, and written as SVG.
# Usage: scripts/screenshot.sh [KEYS]   (key-string syntax as in the tests, e.g. "/peer<enter>")
set -eu
cd "$(dirname "$0")/.."
keys="${1:-/peer supp<enter><enter>jjjjjjjjjjjjjjjj}"
cargo run --quiet --example screenshot -- "$keys" > assets/screenshot.svg.tmp
mv assets/screenshot.svg.tmp assets/screenshot.svg
echo "wrote assets/screenshot.svg ($(wc -c < assets/screenshot.svg) bytes) after keys: $keys"
