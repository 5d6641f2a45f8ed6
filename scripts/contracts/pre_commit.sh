#!/usr/bin/env bash
# pre_commit.sh: the relay-contract-diff pre-commit hook.
#
# pre-commit passes the staged files. With a contracts: manifest in
# .relay.yaml (or --config among the relay arguments), each file is mapped
# to the contracts that reach it, as the contract itself or through $ref,
# and those contracts are compared with their committed version
# (relay contract diff --all --base git:HEAD FILE...): staging only a
# $ref'd schema checks the contract that uses it, and a file that belongs
# to no contract is skipped with a one-line notice. A contract with no
# version at HEAD is new: nothing can break, so it passes.
#
# Without a manifest, each file is a contract compared with git:HEAD:<file>;
# a file with no version at HEAD is skipped with a note.
#
# The hook fails when any change is breaking (exit 20) or a contract cannot
# be read (exit 1). Arguments before a literal -- go to relay contract diff
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

# has_manifest: the relay arguments name a --config, or .relay.yaml here
# has a contracts: list.
has_manifest() {
	local a
	for a in ${relay_args[@]+"${relay_args[@]}"}; do
		case $a in --config | --config=*) return 0 ;; esac
	done
	[ -f .relay.yaml ] && grep -q '^contracts:' .relay.yaml
}

# as_path makes a file name read as a path: a name such as git:api.yaml
# or registry:x.yaml would otherwise read as a base spec.
as_path() {
	case $1 in
	/*) printf '%s' "$1" ;;
	*) printf './%s' "$1" ;;
	esac
}

# check_file diffs one file against HEAD and sets rc to relay's exit code.
rc=0
check_file() {
	local relay=$1 file=$2
	rc=0
	if ! git cat-file -e "HEAD:./$file" 2>/dev/null; then
		printf '%s: %q: new file (no version at HEAD), nothing to compare; skipped\n' "$prog" "$file" >&2
		return
	fi
	"$relay" contract diff --base "git:HEAD:$file" --contract "$(as_path "$file")" ${relay_args[@]+"${relay_args[@]}"} >&2 || rc=$?
}

worst=0
record() {
	case $1 in
	0 | 10) ;;
	20) [ "$worst" -eq 1 ] || worst=20 ;;
	*) worst=1 ;;
	esac
}

main() {
	split_args "$@"
	[ ${#files[@]} -gt 0 ] || exit 0
	local relay file
	relay=$(find_relay)
	if has_manifest; then
		rc=0
		"$relay" contract diff --all --base git:HEAD --format text ${relay_args[@]+"${relay_args[@]}"} -- "${files[@]}" >&2 || rc=$?
		record "$rc"
	else
		for file in "${files[@]}"; do
			check_file "$relay" "$file"
			record "$rc"
		done
	fi
	if [ "$worst" -eq 20 ]; then
		printf '%s: breaking contract changes; commit them only if every consumer is ready (git commit --no-verify skips this hook)\n' "$prog" >&2
	fi
	exit "$worst"
}

main "$@"
