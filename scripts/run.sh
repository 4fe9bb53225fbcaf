#!/usr/bin/env bash
# Builds the portal (release) and serves it with a demo league.
# Honours LEPTOS_SITE_ADDR, PORTAL_DATABASE_URL and PORTAL_DATA_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_build
say "building (release)"
cargo leptos build --release --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
# The demo pays online through the local payment simulator (never in production).
export PORTAL_PAYMENT_SIMULATOR="${PORTAL_PAYMENT_SIMULATOR:-1}"
./target/release/portal migrate
./target/release/portal seed --demo
exec ./target/release/portal serve
