#!/bin/sh
# encode / decode of 1,000,000 small events through a pipe (release build); medians of 3 runs.
# Usage: scripts/bench-codec.sh [COUNT]
set -eu
N=${1:-1000000}
B=target/release/schemapipe
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
cat > "$D/Click.avsc" <<'AVSC'
{"type": "record", "name": "Click", "namespace": "bench", "fields": [
  {"name": "id", "type": "long"}, {"name": "user", "type": "string"},
  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
  {"name": "page", "type": ["null", "string"]}, {"name": "score", "type": "double"}]}
AVSC
"$B" sample "$D/Click.avsc" --count "$N" --seed 1 > "$D/events.jsonl"
"$B" encode "$D/Click.avsc" "$D/events.jsonl" > "$D/events.bin"
median() { sort -n | sed -n 2p; }
t() { s=$(date +%s%N); sh -c "$1"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
enc=$(for i in 1 2 3; do t "cat $D/events.jsonl | $B encode $D/Click.avsc | cat > /dev/null"; done | median)
dec=$(for i in 1 2 3; do t "cat $D/events.bin | $B decode $D/Click.avsc | cat > /dev/null"; done | median)
echo "events: $N ($(wc -c < "$D/events.jsonl") bytes of JSON, $(wc -c < "$D/events.bin") bytes of Avro)"
echo "encode: ${enc} ms (median of 3)"
echo "decode: ${dec} ms (median of 3)"
