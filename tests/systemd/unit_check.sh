#!/usr/bin/env bash
# Checks the shipped unit with systemd's own tools, as `systemctl` would read it:
# `systemd-analyze verify` must be clean and `systemd-analyze security`
# must rate its exposure at 2.0 or below ("OK"). Prints the score.
# With DROP_IN files (e.g. systemd/kutsu.service.d/postgresql.conf.example),
# the unit is checked with them installed in kutsu.service.d/ as NAME.conf;
# that they are read at all is checked first (a copy with an unknown key
# must be reported), since verify only finds drop-ins on the unit path.
# Usage: unit_check.sh UNIT_TEMPLATE KUTSU_BINARY [DROP_IN…]
set -euo pipefail
template=$1 binary=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#@KUTSU_BINARY@#$binary#" "$template" > "$work/kutsu.service"
# The unit's folder first, then systemd's own (the trailing colon).
export SYSTEMD_UNIT_PATH="$work:"

if (($#)); then
  mkdir "$work/kutsu.service.d"
  for drop_in in "$@"; do
    name=$(basename "$drop_in" .example)
    { cat "$drop_in"; printf '[Service]\nNoSuchKeyForTheCheck=1\n'; } > "$work/kutsu.service.d/$name"
  done
  if ! systemd-analyze verify "$work/kutsu.service" 2>&1 | grep -q NoSuchKeyForTheCheck; then
    echo "systemd-analyze verify did not read the drop-ins in $work/kutsu.service.d" >&2
    exit 1
  fi
  for drop_in in "$@"; do
    cp "$drop_in" "$work/kutsu.service.d/$(basename "$drop_in" .example)"
  done
fi

if ! out=$(systemd-analyze verify "$work/kutsu.service" 2>&1) || [[ -n "$out" ]]; then
  echo "systemd-analyze verify is not clean:" >&2
  echo "$out" >&2
  exit 1
fi

line=$(systemd-analyze security --offline=true "$work/kutsu.service" 2>&1 | grep 'Overall exposure level')
echo "$line"
score=$(sed -E 's/.*kutsu.service: ([0-9.]+).*/\1/' <<<"$line")
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { echo "exposure $score is above 2.0" >&2; exit 1; }
