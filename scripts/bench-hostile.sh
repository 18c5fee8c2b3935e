#!/usr/bin/env bash
# Hostile shapes: inputs where an analysis that is quadratic in its input shows at once
# (scripts/gen-hostile.py builds them). Every command must stay under 10 s and 1 GiB.
# For each shape and command: the median wall time of hyperfine runs (when hyperfine is
# installed; one timed run otherwise) and the peak RSS of one run, from /usr/bin/time -v.
#
#   scripts/bench-hostile.sh                 # release build, the sizes below
#   BENCH_SCALE=2 scripts/bench-hostile.sh   # every size doubled
#   BIN=/path/to/schemapipe BENCH_RUNS=3 scripts/bench-hostile.sh
#
# Figures on the 2-core build machine (release build, one run each; before = bceeb49):
#
#   shape / command                          before                  after
#   union of 4,000 records: compat           >40 s (timeout) 5.8 GB  0.10 s   72 MB
#   enum of 100,000 symbols: diff            >40 s (timeout)         0.12 s   70 MB
#   record of 50,000 fields: check           9.4 s                   0.17 s  139 MB
#   ring of 2,000 files: check               17.4 s  985 MB          3.1 s   220 MB
#   ring of 2,000 files: diff                36.8 s  1.0 GB          1.3 s    49 MB
#
# Since closures are shared per strongly connected component (CPU user+sys, peak RSS):
#   ring of 2,000 files: check               3.9 s   211 MB          0.10 s   59 MB
#   ring of 4,000 files: check               15.8 s  713 MB          0.23 s   87 MB
#   chain of 4,000 files: check              17.4 s  2.1 GB          0.52 s  155 MB
#
# The full table, and what is still superlinear: docs/performance-hostile.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${BENCH_RUNS:-1}"
work="${BENCH_WORK:-/tmp/schemapipe-hostile}"
bin="${BIN:-}"
if [[ -z "$bin" ]]; then
    (cd "$root" && cargo build --release --quiet)
    bin="$root/target/release/schemapipe"
fi
bin="$(realpath "$bin")"
limit="${BENCH_TIMEOUT:-60}"

measure() { # label, dir, args...
    local label="$1" dir="$2"
    shift 2
    local out rss wall
    out="$(mktemp)"
    (cd "$dir" && /usr/bin/time -v timeout "$limit" "$bin" "$@" > /dev/null 2> "$out") || true
    rss="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); printf "%.0f MB", $2 / 1024}' "$out")"
    wall="$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$out")"
    if grep -q "Command exited with non-zero status 124" "$out"; then
        wall=">${limit}s (timeout)"
    elif command -v hyperfine > /dev/null && [[ "$runs" -gt 1 ]]; then
        local json
        json="$(mktemp)"
        (cd "$dir" && hyperfine -N -i -w 1 -r "$runs" --export-json "$json" "$bin $*" > /dev/null 2>&1) || true
        wall="$(python3 -c 'import json,sys; print(f"{json.load(open(sys.argv[1]))["results"][0]["median"]:.2f} s (median)")' "$json" 2> /dev/null || echo "$wall")"
        rm -f "$json"
    fi
    printf '%-40s %-22s %s\n' "$label" "$wall" "$rss"
    rm -f "$out"
}

shape() { # name, size
    local dir="$work/$1-$2"
    [[ -d "$dir/.git" ]] || python3 "$root/scripts/gen-hostile.py" "$1" "$2" "$dir" > /dev/null
    echo "$dir"
}

scale="${BENCH_SCALE:-1}"   # 2: every size doubled
commands=(check diff lint validate "fmt --check" "compat --against old.avsc new.avsc")

# shape, size, label: every command on the shape.
bench() {
    local n=$(($2 * scale))
    local d
    d="$(shape "$1" "$n")"
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # the command's words
        measure "$(printf "$3" "$n"): ${c%% --against*}" "$d" $c
    done
}

printf '%-40s %-22s %s\n' "shape / command" "wall" "peak RSS"
bench union 4000 "union of %d inline records"
bench unionref 2000 "union of %d records from files"
bench enum 100000 "enum of %d symbols"
bench fields 50000 "record of %d fields"
bench chain 2000 "chain of %d files"
bench ring 2000 "ring of %d files"
bench fanin 2000 "one type used by %d files"
bench star 2000 "hub using %d files"
bench deep 200 "records nested %d deep"
bench deep 100000 "records nested %d deep"
