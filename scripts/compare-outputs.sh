#!/bin/bash
# Converts every given input file to smrl-ndjson, RIS, BibTeX, BibLaTeX, CSL-JSON and JATS with a JSON report,
# keeping outputs, reports, stderr and exit codes, so that two builds can be compared byte for byte:
#
#   scripts/compare-outputs.sh SMRL OUT_DIR FILE...
#   diff -r OUT_A OUT_B && echo identical
#
# e.g. every corpus file: scripts/compare-outputs.sh .build/release/smrl /tmp/out-new \
#   $(find ../shared/corpus -type f ! -path '*/schemas/*' ! -name README.md ! -name PROVENANCE.tsv | sort)
# Outputs are written with names relative to OUT_DIR, so reports that name them compare equal across directories.
set -uo pipefail
smrl=$(readlink -f "$1"); out=$2; shift 2
mkdir -p "$out"
inputs=()
for file in "$@"; do inputs+=("$(readlink -f "$file")"); done
cd "$out" || exit 1
index=0
for file in "${inputs[@]}"; do
    index=$((index + 1))
    for target in smrl-ndjson ris bibtex biblatex csl-json jats; do
        name=$index.$target
        timeout 60 "$smrl" convert "$file" --to "$target" -o "$name.out" --report "$name.report.json" \
            > "$name.stdout" 2> "$name.stderr"
        echo $? > "$name.rc"
    done
done
echo "$index files" > COUNT
