#!/usr/bin/env bash
# Regenerates the man page and the shell completions from smrl's argument parser, so they always describe the
# command as built:
#   docs/man/smrl.1             swift-argument-parser's generate-manual plugin
#   docs/man/smrl-help.json     `smrl --experimental-dump-help`, the parser's own description the man page is
#                               made from (SMRLDocsTests compares it with the built binary's, so a stale man page
#                               fails the tests)
#   docs/completions/smrl.bash  `smrl --generate-completion-script bash`
#   docs/completions/_smrl      ... zsh
#   docs/completions/smrl.fish  ... fish
#
# Usage: scripts/generate-cli-docs.sh [--check] [--configuration debug|release]
#   --check  regenerate into a scratch folder and fail (listing the files) when the committed ones differ.
# The man page keeps its date while the parser's description is unchanged, so regenerating is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=debug
check=false
while [ $# -gt 0 ]; do
    case "$1" in
        --check) check=true ;;
        --configuration) configuration="$2"; shift ;;
        --configuration=*) configuration="${1#*=}" ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "generate-cli-docs: unknown argument $1" >&2; exit 64 ;;
    esac
    shift
done

swift build -c "$configuration" --product smrl >/dev/null
smrl="$(swift build -c "$configuration" --show-bin-path)/smrl"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/man" "$scratch/completions"

"$smrl" --experimental-dump-help >"$scratch/man/smrl-help.json"
"$smrl" --generate-completion-script bash >"$scratch/completions/smrl.bash"
"$smrl" --generate-completion-script zsh >"$scratch/completions/_smrl"
"$smrl" --generate-completion-script fish >"$scratch/completions/smrl.fish"

# The man page's date: unchanged while the command is unchanged, else today.
date="$(date +%Y-%m-%d)"
if [ -f docs/man/smrl.1 ] && [ -f docs/man/smrl-help.json ] && cmp -s "$scratch/man/smrl-help.json" docs/man/smrl-help.json; then
    committed="$(sed -n 's/^\.Dd //p' docs/man/smrl.1 | head -n 1)"
    if parsed="$(date -d "$committed" +%Y-%m-%d 2>/dev/null)"; then date="$parsed"; fi
fi
swift package plugin generate-manual --configuration "$configuration" --date "$date" >/dev/null
cp .build/plugins/GenerateManual/outputs/smrl/smrl.1 "$scratch/man/smrl.1"

if $check; then
    stale=()
    for file in man/smrl.1 man/smrl-help.json completions/smrl.bash completions/_smrl completions/smrl.fish; do
        cmp -s "$scratch/$file" "docs/$file" || stale+=("docs/$file")
    done
    if [ ${#stale[@]} -gt 0 ]; then
        echo "generate-cli-docs: out of date: ${stale[*]} (run scripts/generate-cli-docs.sh)" >&2
        exit 1
    fi
    echo "generate-cli-docs: docs/man and docs/completions are current"
    exit 0
fi

mkdir -p docs/man docs/completions
cp "$scratch/man/"* docs/man/
cp "$scratch/completions/"* docs/completions/
echo "generate-cli-docs: wrote docs/man/smrl.1, docs/man/smrl-help.json, docs/completions/{smrl.bash,_smrl,smrl.fish}"
