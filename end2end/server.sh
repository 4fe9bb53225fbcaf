#!/usr/bin/env bash
# The portal as the end-to-end tests see it: the release build, on a fresh
# SQLite database with the demo league.
set -euo pipefail
port=${1:-3107}
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
work="$(mktemp -d /tmp/portal-e2e.XXXXXX)"
export PORTAL_DATABASE_URL="sqlite://$work/portal.db"
export PORTAL_DATA_DIR="$work/files"
export PORTAL_AUDIT_ANCHOR="$work/audit.anchor"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$root/target/site"
export PORTAL_PAYMENT_SIMULATOR=1
"$root/target/release/portal" seed --demo >/dev/null
# The tests run the portal's commands (e.g. the sweep) on the same database.
echo "$PORTAL_DATABASE_URL" > "$root/target/e2e-database-url"
exec "$root/target/release/portal" serve
