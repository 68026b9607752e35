#!/usr/bin/env bash
# Fuzz/run.sh [seconds-per-target] [format ...]
#
# Builds the libFuzzer binary (release, -sanitize=fuzzer,address; a separate package, so the ordinary build is
# untouched), prepares seeds from Samples/, Tests/, the shared corpus (when present) and every format's writer,
# then fuzzes each readable format of the registry (or only the named ones) for the given time (default 60 s).
#
# Exit status 1 when any target found a crash, a hang (over 2 s on one input), a leak or a broken invariant
# (see Sources/smrl-fuzz/FuzzTarget.swift); the input is in Fuzz/artifacts/<format>/ and the log in
# Fuzz/logs/<format>.log. Replay one with: SMRL_FUZZ_FORMAT=<format> <binary> <input>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
seconds="${1:-60}"
shift || true
cd "$here"

build=(swift build -c release -Xswiftc -sanitize=fuzzer,address)
started=$(date +%s)
"${build[@]}" --product smrl-fuzz
bin="$("${build[@]}" --show-bin-path)/smrl-fuzz"
echo "fuzz: built in $(( $(date +%s) - started )) s"

if [ $# -gt 0 ]; then
    formats=("$@")
else
    mapfile -t formats < <(ASAN_OPTIONS=detect_leaks=0 SMRL_FUZZ_LIST=1 "$bin")
fi

corpus="${SMRL_CORPUS:-$root/../shared/corpus}"
roots="$root/Samples:$root/Tests"
[ -d "$corpus" ] && roots="$roots:$corpus"
# (Foundation's file reading leaks a buffer: no leak check for this helper step.)
ASAN_OPTIONS=detect_leaks=0 SMRL_FUZZ_PREPARE="$here/corpus" SMRL_FUZZ_SEED_ROOTS="$roots" "$bin"

mkdir -p logs
failed=()
# Swift's own crash handler would walk the stack again under AddressSanitizer; libFuzzer reports crashes.
export SWIFT_BACKTRACE=enable=no
for format in "${formats[@]}"; do
    mkdir -p "corpus/$format" "artifacts/$format"
    echo "fuzz: $format for $seconds s"
    if SMRL_FUZZ_FORMAT="$format" "$bin" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="artifacts/$format/" "corpus/$format" \
        >"logs/$format.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$format.log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz: $format: clean ($runs inputs)"
    else
        failed+=("$format")
        echo "fuzz: $format: FAILED, see Fuzz/logs/$format.log and Fuzz/artifacts/$format/"
        grep -E 'smrl-fuzz:|ERROR:|SUMMARY:|Test unit written' "logs/$format.log" | head -20 || true
    fi
done
echo "fuzz: done in $(( $(date +%s) - started )) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in: ${failed[*]}"
    exit 1
fi
