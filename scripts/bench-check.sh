#!/usr/bin/env bash
# Benchmarks `schemapipe check` on the reference workload and runs the Python peer
# (shared/bench/peer_check.py: the same work as (a) with the PyPI `avro` package) beside it:
#   (a) check --against HEAD~1 at BACKWARD_TRANSITIVE: validate all 2,000 schemas at HEAD,
#       then the 28 changed schemas against all their history;
#   (b) check --all at BACKWARD_TRANSITIVE: every schema against all of its history;
#   (c) check --staged with one staged change (default level);
#   (d) (a) on a 10,000-schema workload, to show how the cost grows (BENCH_LARGE=1);
#   (e) diff --against HEAD~1 (the review of the same change) in json and markdown;
#   (f) generate java / rust / python / typescript / javascript for all 2,000 schemas: --check
#       (renders everything, writes nothing) and a first write into a fresh --out;
#   (g) validate of all of HEAD beside a baseline that only reads and JSON-parses the same
#       files (python3's json), and the peak memory (max RSS, /usr/bin/time -v) of (a) and validate
#       (and of (d)), with the CPU time and minor page faults of that run: on a busy machine
#       these, and instruction counts (valgrind --tool=callgrind), say more than wall time.
# Medians of hyperfine runs (installed with apt if missing). Nothing of the workloads is kept
# in the repository.
#
# Environment: SCHEMAPIPE_SHARED (default ../shared), BENCH_RUNS (default 15), BENCH_LARGE=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SCHEMAPIPE_SHARED:-$root/../shared}"
runs="${BENCH_RUNS:-15}"
bin="$root/target/release/schemapipe"
work=/tmp/schemapipe-bench

command -v hyperfine > /dev/null || apt-get install -y -qq hyperfine > /dev/null 2>&1 || true
command -v hyperfine > /dev/null || { echo "error: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
# The peer needs the PyPI `avro` and `fastavro` packages: use a python3 that has it (e.g. a virtualenv first on
# PATH); nothing is installed into the user's Python.
python3 -c "import avro, fastavro" 2> /dev/null || { echo "error: python3 needs the avro and fastavro packages (python3 -m venv /tmp/v && /tmp/v/bin/pip install avro fastavro; PATH=/tmp/v/bin:\$PATH)" >&2; exit 2; }

cargo build --release --quiet

generate() { # dir, extra args
    if [[ ! -f "$1/.git/schemapipe-bench-manifest.json" ]]; then
        mkdir -p "$(dirname "$1")"
        python3 "$shared/bench/gen_schema_repo.py" --out "$1" --breaking 8 --force "${@:2}" > /dev/null
    fi
}

median() { # label, command (run in $dir)
    local json
    json="$(mktemp)"
    (cd "$dir" && hyperfine -N -i -w 2 -r "$runs" --export-json "$json" "$2" > /dev/null 2>&1)
    python3 - "$json" "$1" << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]:<58} median {r['median']*1000:8.1f} ms wall   user+sys {(r['user']+r['system'])*1000:8.1f} ms (mean)")
PY
    rm -f "$json"
}

dir="$work/repo"
generate "$dir"
echo "== workload $dir ($(git -C "$dir" rev-parse --short HEAD))"
median "(a) check --against HEAD~1 --level BACKWARD_TRANSITIVE" "$bin check --against HEAD~1 --level BACKWARD_TRANSITIVE --format json"
median "(a') the same without lint (--no-lint)" "$bin check --against HEAD~1 --level BACKWARD_TRANSITIVE --no-lint --format json"
median "(b) check --all --level BACKWARD_TRANSITIVE" "$bin check --all --level BACKWARD_TRANSITIVE --format json"
median "(e) diff --against HEAD~1 --format json" "$bin diff --against HEAD~1 --format json"
median "(e') diff --against HEAD~1 --format markdown" "$bin diff --against HEAD~1 --format markdown"
# (f): generate, every target. --check renders everything and compares it with the files written
# once before; a first write goes into an --out that never existed (a path written and deleted
# just before is slower on ext4), beside `cp -r` of the same files as the file system's baseline.
first_write() { # label, target: median wall of BENCH_FIRST (default 5) runs, each into a fresh --out
    local k times=()
    for ((k = 0; k < ${BENCH_FIRST:-5}; k++)); do
        sync
        times+=("$(cd "$dir" && /usr/bin/time -f %e "$bin" generate "$2" --out "$work/first-$2-$$-$k" -q 2>&1 > /dev/null | tail -1)")
    done
    printf '%-58s median %8.0f ms wall   (%s s)\n' "$1" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000}')" "${times[*]}"
    rm -rf "$work"/first-"$2"-$$-*
}
for target in java rust python typescript javascript; do
    (cd "$dir" && "$bin" generate "$target" --out "$work/gen-$target" -q > /dev/null)
    median "(f) generate $target --check" "$bin generate $target --out $work/gen-$target --check -q"
    first_write "(f') generate $target, first write" "$target"
done
sync && /usr/bin/time -f %e -o "$work/cp.txt" cp -r "$work/gen-java" "$work/cp-java-$$"
printf '%-58s %8.0f ms wall\n' "(f'') baseline: cp -r of the Java output" "$(awk '{print $1*1000}' "$work/cp.txt")"
rm -rf "$work/cp-java-$$"

# (c): one staged change in a copy of the workload.
staged="$work/staged"
rm -rf "$staged" && git clone -q "$dir" "$staged"
file="$(git -C "$staged" ls-files schemas | sed -n 500p)"
python3 - "$staged/$file" << 'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["fields"].append({"name": "bench_probe", "type": ["null", "string"], "default": None, "doc": "probe"})
open(p, "w").write(json.dumps(d, indent=2) + "\n")
PY
git -C "$staged" add "$file"
dir="$staged" median "(c) check --staged (one change)" "$bin check --staged --format json"

dir="$work/repo"
median "(g) validate --format json (all of HEAD)" "$bin validate --format json"
cat > "$work/read_parse.py" << 'PY'
import json, pathlib, sys
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.avsc")):
    json.loads(p.read_bytes())
    n += 1
PY
median "(g') baseline: read + JSON-parse the same files (python3)" "python3 $work/read_parse.py schemas"
median "(g'') baseline: python3 startup alone" "python3 -c pass"
rss() { # label, command (run in $dir): peak memory, CPU time and minor page faults of one run
    local kb user sys faults
    (cd "$dir" && { /usr/bin/time -v $2 > /dev/null 2> "$work/rss.txt" || true; })
    kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/rss.txt")"
    user="$(sed -n 's/.*User time (seconds): //p' "$work/rss.txt")"
    sys="$(sed -n 's/.*System time (seconds): //p' "$work/rss.txt")"
    faults="$(sed -n 's/.*Minor (reclaiming a frame) page faults: //p' "$work/rss.txt")"
    printf '%-58s max RSS %6.1f MiB   user %ss sys %ss   %s minor faults\n' "$1" "$(echo "$kb / 1024" | bc -l)" "$user" "$sys" "$faults"
}
rss "(a) peak memory" "$bin check --against HEAD~1 --level BACKWARD_TRANSITIVE --format json"
rss "(g) peak memory" "$bin validate --format json"

echo "== what (a) finds"
(cd "$dir" && "$bin" check --against HEAD~1 --level BACKWARD_TRANSITIVE --format json || true) | python3 -c '
import json, sys
d = json.load(sys.stdin)
pairs = {(f["details"]["subject"], f["details"]["against"]) for f in d["findings"] if f["kind"] == "compat"}
n, files = len(d["checked"]), len({p[0] for p in pairs})
print(f"   {n} changed schemas, {len(pairs)} incompatible pairs in {files} schemas")'

echo "== Python peer (peer_check.py, median of 3)"
python3 "$shared/bench/peer_check.py" "$dir" --runs 3 2> /dev/null | python3 -c '
import json, sys
t = sys.stdin.read(); d = json.loads(t[t.index("{"):])
m = d["median"]
batch, naive = m["check_end_to_end_batch_s"] * 1000, m["check_end_to_end_naive_s"] * 1000
print(f"   check end to end (batch): {batch:.0f} ms   (naive: {naive:.0f} ms)")'

if [[ "${BENCH_LARGE:-0}" == 1 ]]; then
    large="$work/large"
    generate "$large" --schemas 10000 --breaking 40
    dir="$large" median "(d) 10,000 schemas: check --against HEAD~1 --level BACKWARD_TRANSITIVE" "$bin check --against HEAD~1 --level BACKWARD_TRANSITIVE --format json"
    dir="$large" rss "(d) peak memory" "$bin check --against HEAD~1 --level BACKWARD_TRANSITIVE --format json"
fi
