#!/usr/bin/env bash
# pre_commit.sh: the relay-contract-diff pre-commit hook.
#
# pre-commit passes the staged contract files; each is compared with its
# committed version (git:HEAD:<file>) and the hook fails when any change is
# breaking (exit 20) or a contract cannot be read (exit 1). A file with no
# version at HEAD is new: there is nothing it can break, so it is skipped
# with a note. Arguments before a literal -- go to relay contract diff
# (e.g. args: [--fail-on, warning, --] in .pre-commit-config.yaml).
#
# Run from the repository root (pre-commit does). The relay binary is
# $RELAY, else relay on PATH.
set -euo pipefail

prog=${0##*/}
relay_args=()
files=()

split_args() {
	local a
	for a in "$@"; do
		if [ "$a" = "--" ]; then
			relay_args=(${files[@]+"${files[@]}"})
			files=()
			continue
		fi
		files+=("$a")
	done
}

find_relay() {
	local r=${RELAY:-relay}
	if ! command -v "$r" >/dev/null 2>&1; then
		printf '%s: relay not found (looked for %s); install it (go install github.com/relay-dev/relay/cmd/relay@latest) or set RELAY\n' "$prog" "$r" >&2
		exit 1
	fi
	command -v "$r"
}

# check_file diffs one file against HEAD and prints relay's exit code.
check_file() {
	local relay=$1 file=$2 rc=0
	if ! git cat-file -e "HEAD:./$file" 2>/dev/null; then
		printf '%s: %s: new file (no version at HEAD), nothing to compare; skipped\n' "$prog" "$file" >&2
		echo 0
		return
	fi
	"$relay" contract diff --base "git:HEAD:$file" --contract "$file" ${relay_args[@]+"${relay_args[@]}"} >&2 || rc=$?
	echo "$rc"
}

main() {
	split_args "$@"
	[ ${#files[@]} -gt 0 ] || exit 0
	local relay file rc worst=0
	relay=$(find_relay)
	for file in "${files[@]}"; do
		rc=$(check_file "$relay" "$file")
		case $rc in
		0 | 10) ;;
		20) [ "$worst" -eq 1 ] || worst=20 ;;
		*) worst=1 ;;
		esac
	done
	if [ "$worst" -eq 20 ]; then
		printf '%s: breaking contract changes; commit them only if every consumer is ready (git commit --no-verify skips this hook)\n' "$prog" >&2
	fi
	exit "$worst"
}

main "$@"
