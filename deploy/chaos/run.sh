#!/usr/bin/env bash
# Runs the chaos experiments in order; --short runs the CI version (a few minutes). Needs the jars:
# ./mvnw -B -DskipTests package.
set -euo pipefail
dir=$(dirname "$0")
"$dir/worker-kill.sh" "$@"
"$dir/poison.sh" "$@"
"$dir/partition.sh" "$@"
