#!/usr/bin/env bash
# Runs the chaos experiments in order; --short runs the CI version (a few minutes). Needs the jars:
# ./mvnw -B -DskipTests package.
set -euo pipefail
dir=$(dirname "$0")
"$dir/worker-kill.sh" "$@"
"$dir/poison.sh" "$@"
"$dir/api-kill.sh" "$@"
"$dir/partition.sh" "$@"
# Not in the short suite: even short it takes 3-4 minutes on 2 loaded cores (a PostgreSQL cluster of its own, the
# demo model loaded by 2 workers) for 50 s of experiment.
[ "${1:-}" = --short ] || "$dir/pg-restart.sh"
