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
set -euo pipefail

prog=${0##*/}
override_label=contract-break-approved
reports_dir=reports
changed_since=""
relay_args=()

usage() {
	cat <<USAGE
usage: $prog [--override-label NAME] [--reports-dir DIR] [--changed-since REV] [-- RELAY_ARGS...]

  --override-label NAME  pull request label that lets a breaking change pass
                         (default: contract-break-approved)
  --reports-dir DIR      where reports go (default: reports)
  --changed-since REV    only contracts whose files changed since REV
  RELAY_ARGS             passed to relay contract diff --all (e.g. --config PATH)

environment: RELAY (the relay binary; default: relay on PATH), RELAY_PR_LABELS,
GITHUB_EVENT_PATH, RELAY_OVERRIDE_REASON
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
		-h | --help) usage; exit 0 ;;
		--) shift; relay_args+=("$@"); break ;;
		*) die_usage "unknown argument: $1" ;;
		esac
	done
	[ -n "$override_label" ] || die_usage "--override-label must not be empty"
	[ -n "$reports_dir" ] || die_usage "--reports-dir must not be empty"
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
	"$relay" "${args[@]}" ${relay_args[@]+"${relay_args[@]}"} || relay_rc=$?
}

# print_findings shows every contract's text report: an override must not
# hide what it overrides.
print_findings() {
	local f
	for f in "$reports_dir"/*.txt; do
		[ -e "$f" ] || continue
		case $f in *.github.txt) continue ;; esac
		printf '\n--- %s\n' "$f" >&2
		cat "$f" >&2
	done
}

# pr_labels prints the pull request's labels, one per line.
pr_labels() {
	local label labels
	if [ -n "${RELAY_PR_LABELS:-}" ]; then
		IFS=',' read -r -a labels <<<"$RELAY_PR_LABELS"
		for label in "${labels[@]}"; do
			label=${label#"${label%%[![:space:]]*}"}
			label=${label%"${label##*[![:space:]]}"}
			[ -z "$label" ] || printf '%s\n' "$label"
		done
	fi
	if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
		if ! command -v jq >/dev/null 2>&1; then
			printf '%s: warning: jq is not installed, so the labels in %s cannot be read; no override applies\n' "$prog" "$GITHUB_EVENT_PATH" >&2
			return 0
		fi
		jq -r '(.pull_request.labels // [])[] | .name // empty' "$GITHUB_EVENT_PATH" || {
			printf '%s: warning: cannot read the pull request labels in %s; no override applies\n' "$prog" "$GITHUB_EVENT_PATH" >&2
		}
	fi
}

# has_label: GitHub treats label names case-insensitively, and so does
# this. tr rather than ${x,,}: macOS runners still run bash 3.2.
has_label() {
	local want label
	want=$(lower "$1")
	while IFS= read -r label; do
		[ "$(lower "$label")" = "$want" ] && return 0
	done < <(pr_labels)
	return 1
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# json_string quotes a value for JSON without needing jq.
json_string() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	s=${s//$'\t'/\\t}
	s=$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')
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
	mkdir -p "$reports_dir"
	run_relay "$relay"
	print_findings
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
