#!/usr/bin/env bash
# Runs every test of the portal: format and lints, the cargo tests (database
# tests on SQLite and on a real PostgreSQL started here), and the end-to-end
# tests in headless Chromium against a release build. Installs what is
# missing first. Ends with one summary line: "tests: N passed, M failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
set -e
setup_build
setup_test
set +e

LOGS="$ROOT/target/test-logs"; mkdir -p "$LOGS"
PGDIR="$(mktemp -d /tmp/portal-pg.XXXXXX)"
problems=()
cleanup() { bash "$ROOT/scripts/pg.sh" stop "$PGDIR"; }
trap cleanup EXIT
t0=$(date +%s)
# CI stops the whole command at 90 minutes. The long steps get what is left of
# 85 (set-up included: $SECONDS counts from the start), so a step that overruns
# is stopped here, named, and the summary line is still printed.
BUDGET=${PORTAL_TEST_BUDGET_S:-5100}
within_budget() {
  local left=$(( BUDGET - SECONDS ))
  [ "$left" -gt 60 ] || return 124
  timeout --kill-after=30 "$left" "$@"
}
overrun() { problems+=("$1 stopped: the ${BUDGET} s budget ran out (at ${SECONDS} s)"); }

say "format"
cargo fmt --all --check >"$LOGS/fmt.log" 2>&1 || { cat "$LOGS/fmt.log"; problems+=("cargo fmt --check"); }

say "lints"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings 2>&1 | tee "$LOGS/clippy.log" | grep --line-buffered -E '^(warning|error)' | head -50
[ "${PIPESTATUS[0]}" -eq 0 ] || problems+=("cargo clippy")

say "starting PostgreSQL"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if PGURL=$(bash "$ROOT/scripts/pg.sh" start "$PGDIR" "$port"); then
  export PORTAL_TEST_POSTGRES_URL="$PGURL"
  say "PostgreSQL at $PGURL"
else
  # The PostgreSQL tests then fail (they never skip) and say why.
  problems+=("PostgreSQL could not start")
fi

say "building the release (server + wasm)"
tb=$(date +%s)
# --precompress: the site's assets also as .br and .gz, which the server sends
# to browsers that take them (the phone's budget, #15).
cargo leptos build --release --precompress >"$LOGS/release.log" 2>&1
build_rc=$?
# The whole log is kept; on a failure its end says why (cargo-leptos prints
# its error before a long backtrace).
if [ "$build_rc" -eq 0 ]; then
  tail -n 3 "$LOGS/release.log"
else
  grep -v '^\s*Compiling' "$LOGS/release.log" | tail -n 80
  problems+=("cargo leptos build --release (log: target/test-logs/release.log)")
fi
# The README's own build of the binary, plain cargo: the end-to-end tests
# then run this one (target/release/portal), so a binary that only
# cargo-leptos can build right fails here.
if [ "$build_rc" -eq 0 ]; then
  cargo build --release --bin portal >"$LOGS/plain-release.log" 2>&1
  build_rc=$?
  if [ "$build_rc" -ne 0 ]; then
    tail -n 40 "$LOGS/plain-release.log"
    problems+=("cargo build --release --bin portal (log: target/test-logs/plain-release.log)")
  fi
fi
say "release build took $(( $(date +%s) - tb )) s; disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free"
wasm=$(ls target/site/pkg/portal.*.wasm 2>/dev/null | head -1)
if [ -n "$wasm" ]; then
  say "wasm: $(stat -c %s "$wasm") bytes raw, $(stat -c %s "$wasm.gz" 2>/dev/null) gzip, $(stat -c %s "$wasm.br" 2>/dev/null) brotli (as sent)"
fi

say "cargo tests (nextest: a test still running after 5 minutes is stopped and fails by name)"
within_budget cargo nextest run --workspace --exclude frontend --profile ci --no-fail-fast 2>&1 | tee "$LOGS/cargo-test.log" \
  | grep --line-buffered -vE '^\s*(Compiling|Checking|Blocking|Downloaded|Downloading)\b'
case "${PIPESTATUS[0]}" in 0) ;; 124|137) overrun "cargo tests" ;; *) problems+=("cargo tests") ;; esac
junit="$ROOT/target/nextest/ci/junit.xml"
cargo_passed=0; cargo_failed=0; cargo_skipped=0
if [ -f "$junit" ]; then
  read -r cargo_passed cargo_failed cargo_skipped < <(python3 - "$junit" <<'PY'
import sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is not None:
        skipped += 1
    else:
        passed += 1
print(passed, failed, skipped)
PY
)
fi
say "disk: target $(du -sh target 2>/dev/null | cut -f1), $(df -h --output=avail . | tail -1 | tr -d ' ') free"

e2e_passed=0; e2e_failed=0
if [ "$build_rc" -eq 0 ]; then
  say "end-to-end tests (headless Chromium)"
  cd end2end
  export PLAYWRIGHT_JSON_OUTPUT_NAME="$LOGS/e2e.json"
  within_budget npx playwright test --reporter=list,json
  case $? in 0) ;; 124|137) overrun "end-to-end tests" ;; *) problems+=("end-to-end tests") ;; esac
  cd "$ROOT"
  if [ -f "$LOGS/e2e.json" ]; then
    read -r e2e_passed e2e_failed < <(node -e 'const s=require(process.argv[1]).stats; console.log((s.expected||0)+(s.flaky||0), (s.unexpected||0))' "$LOGS/e2e.json")
  fi
else
  problems+=("end-to-end tests not run: no build")
fi

passed=$(( ${cargo_passed:-0} + ${e2e_passed:-0} ))
failed=$(( ${cargo_failed:-0} + ${e2e_failed:-0} ))
say "cargo: ${cargo_passed:-0} passed, ${cargo_failed:-0} failed, ${cargo_skipped:-0} skipped; end-to-end: $e2e_passed passed, $e2e_failed failed"
say "test command took $(( $(date +%s) - t0 )) s"
if [ ${#problems[@]} -gt 0 ]; then
  printf '[setup] FAILED: %s\n' "${problems[@]}" >&2
fi
echo "tests: $passed passed, $failed failed"
[ ${#problems[@]} -eq 0 ] && [ "$failed" -eq 0 ]
