#!/usr/bin/env bash
# run_ci_contract_diff.sh: the CI gate for API contracts.
#
# Runs `relay contract diff --all` over the contracts: list of .relay.yaml,
# writes json, markdown, sarif and text reports for every contract under
# the reports directory, and decides the job's outcome:
#
#   0   no change, or only additive / non-breaking changes and warnings
#   20  a breaking change, unless the pull request carries the override label
#   1   relay could not compare (bad contract, bad config, missing relay);
#       never overridable: an unreadable contract is not an approved one
#   2   usage error (this script's or relay's)
#
# An override is loud, not quiet: the findings are still printed, every
# report is still written, and reports/override.json records who may ask
# why (the label, RELAY_OVERRIDE_REASON, the verdict).
#
# Labels come from RELAY_PR_LABELS (comma-separated) and, inside GitHub
# Actions, from the pull request in $GITHUB_EVENT_PATH (read with jq, which
# GitHub's runners ship; without jq the event's labels cannot be read and
# the gate fails closed, saying so).
#
# The file registry (.relay/registry) is read as of the target branch, never
# from the pull request's tree: a pull request that publishes and approves
# its own breaking version must not pass its own gate. The target is
# --base-ref, else GITHUB_BASE_REF (GitHub), else
# CI_MERGE_REQUEST_TARGET_BRANCH_NAME (GitLab); outside a pull request it is
# HEAD, the commit under test (never uncommitted edits). A pull request that
# changes .relay/registry is named on stderr, function by function.
#
# The reports directory is emptied first (it carries a .relay-reports
# marker; a directory without one that is not empty is refused, and so is a
# symlink), so no report of an earlier run survives into this one.
set -euo pipefail

prog=${0##*/}
override_label=contract-break-approved
reports_dir=reports
changed_since=""
base_ref=""
relay_args=()
reports_marker=.relay-reports
registry_path=.relay/registry
signers_path=.relay/allowed_signers

usage() {
	cat <<USAGE
usage: $prog [--override-label NAME] [--reports-dir DIR] [--changed-since REV]
       [--base-ref BRANCH] [-- RELAY_ARGS...]

  --override-label NAME  pull request label that lets a breaking change pass
                         (default: contract-break-approved)
  --reports-dir DIR      where reports go (default: reports)
  --changed-since REV    only contracts whose files changed since REV
  --base-ref BRANCH      the pull request's target branch, whose .relay/registry
                         holds the approved versions (default: \$GITHUB_BASE_REF,
                         else \$CI_MERGE_REQUEST_TARGET_BRANCH_NAME, else HEAD)
  RELAY_ARGS             passed to relay contract diff --all (e.g. --config PATH)

environment: RELAY (the relay binary; default: relay on PATH), RELAY_PR_LABELS,
GITHUB_EVENT_PATH, RELAY_OVERRIDE_REASON, GITHUB_BASE_REF,
CI_MERGE_REQUEST_TARGET_BRANCH_NAME, RELAY_REGISTRY_URL (a postgres:// registry
is used as is)
USAGE
}

die_usage() {
	printf '%s: %s\n' "$prog" "$1" >&2
	usage >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--override-label) [ $# -ge 2 ] || die_usage "--override-label needs a NAME"; override_label=$2; shift 2 ;;
		--override-label=*) override_label=${1#*=}; shift ;;
		--reports-dir) [ $# -ge 2 ] || die_usage "--reports-dir needs a DIR"; reports_dir=$2; shift 2 ;;
		--reports-dir=*) reports_dir=${1#*=}; shift ;;
		--changed-since) [ $# -ge 2 ] || die_usage "--changed-since needs a REV"; changed_since=$2; shift 2 ;;
		--changed-since=*) changed_since=${1#*=}; shift ;;
		--base-ref) [ $# -ge 2 ] || die_usage "--base-ref needs a BRANCH"; base_ref=$2; shift 2 ;;
		--base-ref=*) base_ref=${1#*=}; shift ;;
		-h | --help) usage; exit 0 ;;
		--) shift; relay_args+=("$@"); break ;;
		*) die_usage "unknown argument: $1" ;;
		esac
	done
	[ -n "$override_label" ] || die_usage "--override-label must not be empty"
	[ -n "$reports_dir" ] || die_usage "--reports-dir must not be empty"
	local a
	for a in ${relay_args[@]+"${relay_args[@]}"}; do
		case $a in
		--registry | --registry=*) die_usage "--registry cannot be passed to relay here: the file registry is read from the target branch (a database goes in RELAY_REGISTRY_URL)" ;;
		esac
	done
}

# find_relay prints the relay binary to run: $RELAY, else relay on PATH.
find_relay() {
	local r=${RELAY:-relay}
	if ! command -v "$r" >/dev/null 2>&1; then
		printf '%s: relay not found (looked for %s); build it (go build -o bin/relay ./cmd/relay) and set RELAY=bin/relay, or put relay on PATH\n' "$prog" "$r" >&2
		exit 1
	fi
	command -v "$r"
}

# refuse_symlinks exits when the reports directory, or any directory on a
# relative path to it, is a symlink: a committed out -> /elsewhere would
# carry out/reports along. (An absolute path is the caller's own choice,
# and /tmp is a symlink on macOS: only its last component is checked.)
refuse_symlinks() {
	local d=$1 p="" part
	local -a parts
	case $d in
	/*) [ -L "${d%/}" ] && p=${d%/} ;;
	*)
		IFS=/ read -r -a parts <<<"$d"
		for part in "${parts[@]}"; do
			[ -n "$part" ] || continue
			p=${p:+$p/}$part
			[ -L "$p" ] && break
		done
		;;
	esac
	if [ -n "$p" ] && [ -L "$p" ]; then
		printf '%s: the reports directory %s is a symlink; refusing to write through it (remove it, or pass --reports-dir)\n' "$prog" "$p" >&2
		exit 1
	fi
}

# prepare_reports empties the reports directory, so that nothing from an
# earlier run (an override.json, the report of a contract since removed from
# the manifest) is read as this run's. Only a directory this script made
# (it holds the marker) or an empty one is emptied; a symlink is refused,
# since a pull request could commit one to aim the writes elsewhere.
prepare_reports() {
	local d=$reports_dir
	refuse_symlinks "$d"
	if [ -e "$d" ] && [ ! -d "$d" ]; then
		printf '%s: the reports directory %s exists and is not a directory\n' "$prog" "$d" >&2
		exit 1
	fi
	if [ -d "$d" ] && [ ! -e "$d/$reports_marker" ] && [ -n "$(ls -A "$d")" ]; then
		printf '%s: the reports directory %s is not empty and was not made by this script; remove it or pass another --reports-dir\n' "$prog" "$d" >&2
		exit 1
	fi
	if [ -d "$d" ]; then
		find "$d" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
	fi
	mkdir -p "$d"
	: >"$d/$reports_marker"
}

# target_ref prints the branch whose registry is the truth: --base-ref,
# then the CI's pull request target, else HEAD.
target_ref() {
	if [ -n "$base_ref" ]; then
		printf '%s\n' "$base_ref"
	elif [ -n "${GITHUB_BASE_REF:-}" ]; then
		printf '%s\n' "$GITHUB_BASE_REF"
	elif [ -n "${CI_MERGE_REQUEST_TARGET_BRANCH_NAME:-}" ]; then
		printf '%s\n' "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
	else
		echo HEAD
	fi
}

# resolve_commit prints the commit of a branch name, preferring the remote
# tracking branch (what CI checkouts have) over a local one.
resolve_commit() {
	local ref=$1 c
	case $ref in -*) return 1 ;; esac
	for c in "refs/remotes/origin/$ref" "$ref"; do
		if git rev-parse --verify --quiet "$c^{commit}" 2>/dev/null; then
			return 0
		fi
	done
	return 1
}

# Set by materialise_registry.
registry_tmp=""
top=""
target=""
target_commit=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { [ -z "$registry_tmp" ] || rm -rf -- "$registry_tmp"; }

# materialise_registry copies .relay/registry as of the target commit into
# a temporary directory, which relay then reads instead of the working
# tree's. A target without a registry gives an empty one: every registry
# contract is then new.
materialise_registry() {
	target=$(target_ref)
	if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		printf '%s: %s is not inside a git repository: the registry is read from the target branch, so the gate needs one\n' "$prog" "$PWD" >&2
		exit 1
	fi
	# The registry lives at the repository root, wherever the script runs.
	top=$(git rev-parse --show-toplevel)
	if ! target_commit=$(resolve_commit "$target"); then
		printf '%s: cannot find the target branch %s (looked for origin/%s and %s): fetch it (git fetch origin %s) so that the registry is read from it, never from the pull request\n' \
			"$prog" "$target" "$target" "$target" "$target" >&2
		exit 1
	fi
	registry_tmp=$(mktemp -d "${TMPDIR:-/tmp}/relay-registry.XXXXXX")
	trap cleanup EXIT
	mkdir -p "$registry_tmp/registry"
	if git cat-file -e "$target_commit:$registry_path" 2>/dev/null; then
		git -C "$top" archive --format=tar "$target_commit" -- "$registry_path" | tar -x -C "$registry_tmp"
		rm -rf -- "$registry_tmp/registry"
		mv -- "$registry_tmp/$registry_path" "$registry_tmp/registry"
	fi
	# Signed approvals are verified against the reviewers the target branch
	# lists, never against a copy (or a .relay.yaml) the pull request edited.
	if [ -z "${RELAY_ALLOWED_SIGNERS:-}" ] && git cat-file -e "$target_commit:$signers_path" 2>/dev/null; then
		git -C "$top" show "$target_commit:$signers_path" >"$registry_tmp/allowed_signers"
		RELAY_ALLOWED_SIGNERS=$registry_tmp/allowed_signers
		export RELAY_ALLOWED_SIGNERS
	fi
}

# registry_notice names the functions whose registry state this pull
# request changes (committed or not), so that reviewers see a pull request
# that publishes or approves versions. The state it changes is not used:
# the registry was read from the target branch.
registry_notice() {
	local since=$target_commit mb fns
	if [ "$target" != HEAD ] && mb=$(git merge-base HEAD "$target_commit" 2>/dev/null); then
		since=$mb
	fi
	fns=$({
		git -C "$top" diff --no-relative --name-only -z "$since" -- "$registry_path"
		git -C "$top" ls-files --full-name --others --exclude-standard -z -- "$registry_path"
	} | tr '\0' '\n' | awk -v p="$registry_path/" '
		index($0, p) == 1 {
			rest = substr($0, length(p) + 1)
			n = split(rest, part, "/")
			if (n >= 3) print part[1] "/" part[2]; else print "(the registry'"'"'s shared files: " rest ")"
		}' | sort -u)
	[ -n "$fns" ] || return 0
	{
		printf '\n%s: NOTICE: this change edits the contract registry (%s) for:\n' "$prog" "$registry_path"
		# Functions first, then the registry's shared files, if any.
		{ printf '%s\n' "$fns" | grep -v '^(' || true; printf '%s\n' "$fns" | grep '^(' || true; } | sed 's/^/  /'
		printf '%s: the registry was read from %s, not from this change: versions it publishes or approves do not count until they are on %s\n' "$prog" "$target" "$target"
	} >&2
}

# policy_notice names the gate's own settings this change edits: .relay.yaml
# (ignores, severities, fail-on, baseline, manifest entries) and the
# allowed-signers file. They are read from this change, so a pull request
# could loosen its own gate; reviewers must see that it does.
policy_notice() {
	local since=$target_commit mb files
	if [ "$target" != HEAD ] && mb=$(git merge-base HEAD "$target_commit" 2>/dev/null); then
		since=$mb
	fi
	files=$({
		git -C "$top" diff --no-relative --name-only -z "$since" -- .relay.yaml "$signers_path"
		git -C "$top" ls-files --full-name --others --exclude-standard -z -- .relay.yaml "$signers_path"
	} | tr '\0' '\n' | sort -u)
	[ -n "$files" ] || return 0
	{
		printf '\n%s: NOTICE: this change edits the contract gate'"'"'s own settings:\n' "$prog"
		printf '%s\n' "$files" | sed 's/^/  /'
		printf '%s: ignores, severities and fail-on in .relay.yaml apply to this run as changed; review them like code\n' "$prog"
	} >&2
}

# run_relay runs the diff and sets relay_rc to relay's exit code; relay's
# own output goes straight through (summary on stdout, messages on stderr).
relay_rc=0
run_relay() {
	local relay=$1
	local args=(contract diff --all
		--format "json=$reports_dir" --format "markdown=$reports_dir"
		--format "sarif=$reports_dir" --format "text=$reports_dir")
	if [ -n "$changed_since" ]; then
		args+=(--changed-since "$changed_since")
	fi
	if [ -n "$registry_tmp" ]; then
		args+=(--registry "$registry_tmp/registry")
	fi
	"$relay" "${args[@]}" ${relay_args[@]+"${relay_args[@]}"} || relay_rc=$?
}

# print_findings shows the findings of every breaking contract (relay's
# summary on stdout already gives each contract's verdict line): an
# override must not hide what it overrides.
print_findings() {
	local f
	for f in "$reports_dir"/*.txt; do
		[ -e "$f" ] || continue
		case $f in *.github.txt) continue ;; esac
		grep -q -- '— verdict: breaking (exit' "$f" || continue
		printf '\n--- %s\n' "$f" >&2
		cat "$f" >&2
	done
}

# pr_labels prints the pull request's labels, NUL-terminated: a label may
# contain a newline, and must then not pass for two labels.
pr_labels() {
	local label labels
	if [ -n "${RELAY_PR_LABELS:-}" ]; then
		IFS=',' read -r -d '' -a labels <<<"$RELAY_PR_LABELS" || true
		for label in "${labels[@]}"; do
			label=${label#"${label%%[![:space:]]*}"}
			label=${label%"${label##*[![:space:]]}"}
			[ -z "$label" ] || printf '%s\0' "$label"
		done
	fi
	if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
		if ! command -v jq >/dev/null 2>&1; then
			printf '%s: warning: jq is not installed, so the labels in %s cannot be read; no override applies\n' "$prog" "$GITHUB_EVENT_PATH" >&2
			return 0
		fi
		jq -j '(.pull_request.labels // [])[] | .name // empty | . + "\u0000"' "$GITHUB_EVENT_PATH" || {
			printf '%s: warning: cannot read the pull request labels in %s; no override applies\n' "$prog" "$GITHUB_EVENT_PATH" >&2
		}
	fi
}

# has_label: GitHub treats label names case-insensitively, and so does
# this. tr rather than ${x,,}: macOS runners still run bash 3.2.
has_label() {
	local want label
	want=$(lower "$1")
	while IFS= read -r -d '' label; do
		[ "$(lower "$label")" = "$want" ] && return 0
	done < <(pr_labels)
	return 1
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# valid_utf8 drops the bytes of s that are not UTF-8, so that the JSON
# written from it is valid; without iconv, everything beyond ASCII goes.
valid_utf8() {
	if command -v iconv >/dev/null 2>&1; then
		printf '%s' "$1" | iconv -c -f UTF-8 -t UTF-8 2>/dev/null || true
	else
		printf '%s' "$1" | LC_ALL=C tr -cd '\011\012\015\040-\176'
	fi
}

# json_string quotes a value for JSON without needing jq.
json_string() {
	local s
	s=$(valid_utf8 "$1")
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	s=${s//$'\t'/\\t}
	s=$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037\177')
	printf '"%s"' "$s"
}

write_override() {
	local reason=null
	if [ -n "${RELAY_OVERRIDE_REASON:-}" ]; then
		reason=$(json_string "$RELAY_OVERRIDE_REASON")
	fi
	printf '{\n  "label": %s,\n  "reason": %s,\n  "verdict": "breaking",\n  "exitCode": 20\n}\n' \
		"$(json_string "$override_label")" "$reason" >"$reports_dir/override.json"
}

announce_override() {
	{
		echo
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		echo "!! BREAKING CONTRACT CHANGES ALLOWED by the label '$override_label'"
		if [ -n "${RELAY_OVERRIDE_REASON:-}" ]; then
			echo "!! reason: $RELAY_OVERRIDE_REASON"
		fi
		echo "!! recorded in $reports_dir/override.json; the findings above still stand"
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	} >&2
}

main() {
	parse_args "$@"
	local relay
	relay=$(find_relay)
	prepare_reports
	if [ -z "${RELAY_REGISTRY_URL:-}" ]; then
		materialise_registry
	else
		case $RELAY_REGISTRY_URL in
		postgres://* | postgresql://*) ;;
		*)
			printf '%s: RELAY_REGISTRY_URL names a file registry; here the file registry is read from the target branch, so RELAY_REGISTRY_URL may only name a PostgreSQL database\n' "$prog" >&2
			exit 2
			;;
		esac
	fi
	run_relay "$relay"
	print_findings
	[ -z "$registry_tmp" ] || registry_notice
	[ -z "$registry_tmp" ] || policy_notice
	case $relay_rc in
	0 | 10)
		exit 0
		;;
	20)
		if has_label "$override_label"; then
			write_override
			announce_override
			exit 0
		fi
		printf '\n%s: breaking contract changes (reports in %s/); add the label %s to the pull request to allow them\n' \
			"$prog" "$reports_dir" "$override_label" >&2
		exit 20
		;;
	*)
		printf '%s: relay exited %s: the contracts could not be compared (this is never overridable)\n' "$prog" "$relay_rc" >&2
		exit "$relay_rc"
		;;
	esac
}

main "$@"
