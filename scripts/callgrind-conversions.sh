#!/bin/bash
# Counts the instructions of nine conversions under callgrind (repeatable on a noisy machine, unlike wall-clock time).
#
#   scripts/callgrind-conversions.sh SMRL OUT_DIR CORPUS_DIR
#
# CORPUS_DIR holds corpus.ris, corpus.bib, corpus.ndjson and corpus.csl.json, e.g. from
#   .build/release/smrl-bench --records 2000 --cases startup --work DIR
# (renamed from DIR/corpus-2000.<format>.<ext>). Prints one line per conversion: name and total instructions; the
# callgrind files and outputs stay in OUT_DIR (callgrind_annotate OUT_DIR/NAME.cg shows where the time goes).
set -euo pipefail
smrl=$(readlink -f "$1"); out=$2; corpus=$3
mkdir -p "$out"
run() {
    valgrind --tool=callgrind --callgrind-out-file="$out/$1.cg" "$smrl" convert "$2" --to "$3" -o "$out/$1.out" \
        > /dev/null 2> "$out/$1.err"
    echo "$1 $(grep -m1 -o 'summary: [0-9]*' "$out/$1.cg" | awk '{print $2}')"
}
run ris-ndjson "$corpus/corpus.ris" smrl-ndjson
run ris-ris "$corpus/corpus.ris" ris
run bib-ndjson "$corpus/corpus.bib" smrl-ndjson
run bib-bib "$corpus/corpus.bib" bibtex
run nd-nd "$corpus/corpus.ndjson" smrl-ndjson
run nd-ris "$corpus/corpus.ndjson" ris
run nd-bib "$corpus/corpus.ndjson" bibtex
run nd-csl "$corpus/corpus.ndjson" csl-json
run csl-nd "$corpus/corpus.csl.json" smrl-ndjson
