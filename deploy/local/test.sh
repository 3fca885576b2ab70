#!/usr/bin/env bash
# Runs every test: prepares PostgreSQL + pgvector, the test images, libjpeg-turbo and the browser (Chromium) if
# needed, then the Maven build with all unit, contract, architecture, API and console browser tests against real
# PostgreSQL, then the end-to-end smoke test of the packaged jars, the console's whole flow in a real browser against them, the
# attack and cross-tenant suites, the deploy manifests' database bootstrap and systemd units started under systemd,
# and the short chaos experiments (worker SIGKILL loop, poison item, api SIGKILL mid-upload, network partition).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MONTAGE_ROOT/deploy/local/setup-db.sh"
"$MONTAGE_ROOT/deploy/local/setup-testdata.sh"
"$MONTAGE_ROOT/deploy/local/setup-jpeg.sh"
"$MONTAGE_ROOT/deploy/local/setup-browser.sh"
montage_use_jdk
(cd "$MONTAGE_ROOT" && ./mvnw -B verify)
"$MONTAGE_ROOT/deploy/local/smoke-test.sh"
"$MONTAGE_ROOT/deploy/compose/test-initdb.sh"
"$MONTAGE_ROOT/deploy/systemd/test.sh"
"$MONTAGE_ROOT/deploy/local/console-flow-test.sh"
"$MONTAGE_ROOT/deploy/local/attack-test.sh"
"$MONTAGE_ROOT/deploy/chaos/run.sh" --short
