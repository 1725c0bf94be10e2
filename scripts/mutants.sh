#!/usr/bin/env bash
# Mutation testing of the verdict logic: every mutant cargo-mutants makes of
# src/eval, src/time and src/check/dates.rs must be caught by a test, or be
# listed in docs/mutants.md as equivalent (with the reason). Each mutant
# rebuilds the crate and runs the tests, so a full run takes hours on two
# cores: give files or folders to run a part (`scripts/mutants.sh
# src/eval/judge.rs src/time/mod.rs`), and any further arguments go to cargo-mutants
# (`-- --shard 1/4`). Results are in target/mutants/mutants.out; the summary
# per file is printed at the end.
#
# Needs `cargo install cargo-mutants`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  echo "cargo-mutants is not installed: cargo install cargo-mutants" >&2
  exit 2
fi

escape() { printf '%s' "$1" | sed 's/[][\\.*^$(){}+?|]/\\&/g'; }

files=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  files+=(--file "$1")
  shift
done
if [ ${#files[@]} -eq 0 ]; then
  files=(--file 'src/eval/**' --file 'src/time/**' --file src/check/dates.rs)
fi
[ "${1:-}" = "--" ] && shift

# Mutants the docs list as equivalent (`- \`FILE\` \`DESCRIPTION\`: why`) are
# skipped, wherever in the file they are.
exclude=()
while IFS=$'\t' read -r file what; do
  exclude+=(--exclude-re "^$(escape "$file"):[0-9]+:[0-9]+: $(escape "$what")\$")
done < <(sed -n 's/^- `\([^`]*\)` `\([^`]*\)`: .*/\1\t\2/p' docs/mutants.md)

# Debug information is not needed to run the tests, and linking without it
# is faster. The unit tests and the integration tests run; the doctest does not.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
status=0
cargo mutants "${files[@]}" "${exclude[@]}" --output target --jobs 1 \
  --test-tool cargo "$@" -- --lib --test main || status=$?

out=target/mutants.out
python3 - "$out" <<'PY'
import collections, os, sys
out = sys.argv[1]
counts = collections.defaultdict(collections.Counter)
for kind, name in [("caught", "caught.txt"), ("missed", "missed.txt"),
                   ("timeout", "timeout.txt"), ("unviable", "unviable.txt")]:
    path = os.path.join(out, name)
    if not os.path.exists(path):
        continue
    for line in open(path):
        if line.strip():
            counts[line.split(":", 1)[0]][kind] += 1
print(f"{'file':32} {'tested':>7} {'caught':>7} {'missed':>7} {'timeout':>8} {'unviable':>9}")
total = collections.Counter()
for f in sorted(counts):
    c = counts[f]
    tested = c["caught"] + c["missed"] + c["timeout"]
    total.update(c)
    print(f"{f:32} {tested:7} {c['caught']:7} {c['missed']:7} {c['timeout']:8} {c['unviable']:9}")
tested = total["caught"] + total["missed"] + total["timeout"]
print(f"{'total':32} {tested:7} {total['caught']:7} {total['missed']:7} {total['timeout']:8} {total['unviable']:9}")
missed = os.path.join(out, "missed.txt")
if os.path.exists(missed) and os.path.getsize(missed):
    print("\nmissed:")
    print(open(missed).read(), end="")
PY
exit $status
