#!/usr/bin/env bash
# Benchmarks schemapipe on the reference workload (shared/bench/gen_schema_repo.py --breaking 8):
#   1. builds the release binary,
#   2. generates the workload repo if it is missing,
#   3. runs the in-process bench (benches/validate.rs: load, load + canonical form),
#   4. times `schemapipe validate --format json` end to end, run from the workload repo.
#
# Environment:
#   SCHEMAPIPE_SHARED      the shared/ directory (default: ../shared beside the repo root)
#   SCHEMAPIPE_BENCH_REPO  where the workload lives (default: /tmp/schemapipe-bench/repo)
#   BENCH_RUNS             end-to-end runs (default: 15)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

shared="${SCHEMAPIPE_SHARED:-$root/../shared}"
gen="$shared/bench/gen_schema_repo.py"
repo="${SCHEMAPIPE_BENCH_REPO:-/tmp/schemapipe-bench/repo}"
runs="${BENCH_RUNS:-15}"
bin="$root/target/release/schemapipe"

echo "== cargo build --release"
cargo build --release --quiet

default_repo=/tmp/schemapipe-bench/repo
if [[ -f "$repo/.git/schemapipe-bench-manifest.json" ]]; then
    echo "== workload: $repo (already generated)"
elif [[ -d "$repo/schemas" && "$repo" != "$default_repo" ]]; then
    echo "== workload: $repo (not a generated repo: used as it is)"
else
    if [[ -n "$(ls -A "$repo" 2> /dev/null)" && "$repo" != "$default_repo" ]]; then
        echo "error: $repo exists but holds neither a generated workload nor schemas/; remove it or pick another SCHEMAPIPE_BENCH_REPO" >&2
        exit 2
    fi
    if [[ ! -f "$gen" ]]; then
        echo "error: $gen not found; set SCHEMAPIPE_SHARED to the shared/ directory" >&2
        exit 2
    fi
    # The manifest is written last, so a default repo without it is a partial one: replace it.
    echo "== generating the workload in $repo"
    mkdir -p "$(dirname "$repo")"
    python3 "$gen" --out "$repo" --breaking 8 --force
fi

echo
echo "== cargo bench --bench validate"
SCHEMAPIPE_BENCH_REPO="$repo" cargo bench --quiet --bench validate

echo
echo "== end to end: schemapipe validate --format json > /dev/null  (cwd $repo, $runs runs)"
set +e
(cd "$repo" && "$bin" validate --format json > /dev/null)
status=$?
set -e
echo "exit status of one run: $status"

if command -v hyperfine > /dev/null; then
    json="$(mktemp)"
    ignore=()
    [[ $status -ne 0 ]] && ignore=(--ignore-failure)
    hyperfine --warmup 1 --runs "$runs" "${ignore[@]}" --export-json "$json" \
        --command-name "schemapipe validate --format json" \
        "cd '$repo' && '$bin' validate --format json > /dev/null"
    python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("median wall time: %.1f ms (min %.1f, max %.1f)" % (r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
PY
    rm -f "$json"
else
    times=()
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s%N)
        (cd "$repo" && "$bin" validate --format json > /dev/null) || true
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))  # microseconds
    done
    mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
    n=${#sorted[@]}
    if ((n % 2)); then
        med=${sorted[n / 2]}
    else
        med=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2))
    fi
    printf 'median wall time: %d.%d ms (min %d.%d, max %d.%d; %d runs, bash loop, after 1 warm-up run)\n' \
        $((med / 1000)) $((med % 1000 / 100)) \
        $((sorted[0] / 1000)) $((sorted[0] % 1000 / 100)) \
        $((sorted[n - 1] / 1000)) $((sorted[n - 1] % 1000 / 100)) "$n"
fi
