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
# Every browser of the tests logs in from 127.0.0.1, dozens of times a
# minute: the log-in rate limits (tested on their own in server/tests/accounts.rs)
# would refuse them.
export PORTAL_LOGIN_PER_MINUTE=600
export PORTAL_LOGIN_GLOBAL_PER_MINUTE=600
export PORTAL_CODES_PER_MINUTE=600
"$root/target/release/portal" seed --demo >/dev/null
# The tests run the portal's commands (e.g. the sweep) on the same database.
echo "$PORTAL_DATABASE_URL" > "$root/target/e2e-database-url"
exec "$root/target/release/portal" serve
