#!/usr/bin/env bash
# Installs what building (and, with --test, testing) the portal needs, only
# when missing. Sourced by run.sh and test.sh so PATH stays the same between
# builds (a changed PATH makes cargo rebuild dependencies).
# Nothing here downloads a binary at run time: every tool comes from
# crates.io, npm or Debian's packages (see ../shared/TOOLCHAIN.md).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
CARGO_LEPTOS_VERSION="0.3.11"
BINARYEN_VERSION="132.0.0"

# Each line carries the seconds since the command began, so a slow step shows in the log.
say() { printf '\033[1m[setup %5ds]\033[0m %s\n' "$SECONDS" "$*" >&2; }

apt_updated=""
apt_install() {
  # $@: packages; installs those not yet installed.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_build() {
  command -v cargo >/dev/null || { say "Rust (rustup) is needed: https://rustup.rs"; return 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version >/dev/null 2>&1; then
    # Unoptimised: it only drives cargo, wasm-bindgen and wasm-opt, so it builds
    # the portal as fast, and installs in a fraction of the optimised build's time.
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version --debug
  fi
  # cargo-leptos would download wasm-bindgen; it must be on PATH at the exact locked version.
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
    say "installing wasm-bindgen-cli $wb"
    cargo install wasm-bindgen-cli --version "$wb" --force
  fi
  # wasm-opt from npm's binaryen: Debian's older one breaks hydration.
  if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    say "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
    mkdir -p "$ROOT/.tools"
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

setup_test() {
  apt_install chromium postgresql fonts-noto-cjk
  if ! cargo nextest --version >/dev/null 2>&1; then
    say "installing cargo-nextest (the machine image usually has it)"
    cargo install cargo-nextest --locked
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    say "installing Playwright (no browser download: Debian's chromium is used)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}
