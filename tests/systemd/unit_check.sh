#!/usr/bin/env bash
# Checks the shipped unit with systemd's own tools, as `systemctl` would read it:
# `systemd-analyze verify` must be clean and `systemd-analyze security`
# must rate its exposure at 2.0 or below ("OK"). Prints the score.
# Usage: unit_check.sh UNIT_TEMPLATE KUTSU_BINARY
set -euo pipefail
template=$1 binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#@KUTSU_BINARY@#$binary#" "$template" > "$work/kutsu.service"

if ! out=$(systemd-analyze verify "$work/kutsu.service" 2>&1) || [[ -n "$out" ]]; then
  echo "systemd-analyze verify is not clean:" >&2
  echo "$out" >&2
  exit 1
fi

line=$(systemd-analyze security --offline=true "$work/kutsu.service" 2>&1 | grep 'Overall exposure level')
echo "$line"
score=$(sed -E 's/.*kutsu.service: ([0-9.]+).*/\1/' <<<"$line")
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { echo "exposure $score is above 2.0" >&2; exit 1; }
