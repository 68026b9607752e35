#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (libxml2-dev, pkg-config), builds smrl in release mode, validates the
# bundled sample library under the library profile, and converts it into every format smrl writes, into out/.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for package in libxml2-dev pkg-config; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        sudo_cmd=""
        [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

swift build -c release --product smrl
smrl="$(swift build -c release --show-bin-path)/smrl"
mkdir -p out

echo "== validate Samples/library.json (library profile)"
"$smrl" validate Samples/library.json --profile library

echo "== validate Samples/faulty-feed.json (expected to fail: it shows every validator diagnostic)"
"$smrl" validate Samples/faulty-feed.json && exit 1 || echo "(exit status $?, as expected)"

for format in $("$smrl" formats --format json | python3 -c 'import json,sys; print(" ".join(f["name"] for f in json.load(sys.stdin) if f["write"]))'); do
    case "$format" in
        smrl-json) ext=json ;; smrl-ndjson) ext=ndjson ;; ris) ext=ris ;; bibtex) ext=bib ;;
        biblatex) ext=biblatex.bib ;; csl-json) ext=csl.json ;; jats) ext=jats.xml ;; *) ext="$format" ;;
    esac
    echo "== convert to $format -> out/library.$ext"
    "$smrl" convert Samples/library.json --to "$format" -o "out/library.$ext"
done
echo "Done: see out/."
