#!/usr/bin/env bash
# Throughput of the `portal rules` batch on N lines (default 1,000,000) made
# by cycling the shared worked examples. A benchmark, not a test: it prints
# figures and asserts nothing. Needs a release build (target/release/portal).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
n=${1:-1000000}
input="$(mktemp /tmp/rules-bench.XXXXXX.jsonl)"
trap 'rm -f "$input"' EXIT
ROOT="$ROOT" python3 - "$n" "$input" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
reqs = [json.dumps(json.loads(l)["request"], separators=(",", ":")) for l in open(__import__("os").environ["ROOT"] + "/../shared/policy/examples.jsonl") if l.strip()]
with open(out, "w") as f:
    for i in range(n):
        f.write(reqs[i % len(reqs)] + "\n")
PY
for mode in "" "--no-explain"; do
  start=$(date +%s.%N)
  lines=$("$ROOT/target/release/portal" rules $mode <"$input" | wc -l)
  end=$(date +%s.%N)
  python3 -c "import sys; n,s,e=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'rules {sys.argv[4] or \"(explanations)\"}: {n} lines in {e-s:.2f} s = {n/(e-s):,.0f} lines/s')" "$lines" "$start" "$end" "$mode"
done
