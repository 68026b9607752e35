#!/usr/bin/env bash
# Builds the DocC documentation of SMRLCore (Sources/SMRLCore/Documentation.docc plus the API reference from the
# doc comments) with the toolchain's own docc, without the swift-docc-plugin dependency:
#   .build/docs/SMRLCore.doccarchive   open with `docc preview`, or serve the folder statically
# Usage: scripts/build-docs.sh [--preview]    (--preview serves it on http://localhost:8080 while you edit)
set -euo pipefail
cd "$(dirname "$0")/.."

docc="$(command -v docc || xcrun --find docc 2>/dev/null || true)"
if [ -z "$docc" ]; then
    echo "build-docs: docc not found; it ships with Swift toolchains from swift.org and with Xcode" >&2
    exit 2
fi

# Symbol graphs of the public API (SwiftPM builds what it needs).
swift package dump-symbol-graph --minimum-access-level public >/dev/null
graphs="$(find .build -path '*/symbolgraph' -type d | head -n 1)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$graphs"/SMRLCore.symbols.json "$graphs"/SMRLCore@*.symbols.json "$scratch/" 2>/dev/null || cp "$graphs"/SMRLCore.symbols.json "$scratch/"

mode=convert
[ "${1:-}" = "--preview" ] && mode=preview
mkdir -p .build/docs
"$docc" "$mode" Sources/SMRLCore/Documentation.docc \
    --additional-symbol-graph-dir "$scratch" \
    --fallback-display-name SMRLCore --fallback-bundle-identifier org.smrl.SMRLCore \
    --output-path .build/docs/SMRLCore.doccarchive
[ "$mode" = convert ] && echo "build-docs: wrote .build/docs/SMRLCore.doccarchive"
