#!/usr/bin/env bash
# Attention at depth: interleaved rounds of `gptoss bench --depth D` (one run per key/value cache type) and
# `llama-bench -d D` (its default f16 cache) on the same GGUF, same threads, printing the load average before each
# run and a summary table at the end. Both fill D tokens of context first (not timed), then time a prefill of
# PROMPT tokens and a decode of GEN tokens at depth D.
#
#   MODEL=/path/to/synth-20b-4l.gguf LLAMA_BENCH=/path/to/llama-bench docs/bench/depth-rounds.sh
#
# Environment (defaults in brackets):
#   MODEL        the GGUF both engines read (required), e.g. from `./gptoss synth --config 20b --layers 4 --format gguf`
#   LLAMA_BENCH  llama.cpp's llama-bench binary (required unless LLAMA=0)
#   GPTOSS       the gptoss launcher [this repository's ./gptoss]
#   THREADS      threads for both [2]
#   DEPTHS       depths, space-separated [4096 16384]
#   KV_TYPES     our cache types, space-separated [bf16 f16 f32]
#   PROMPT GEN   prefill and decode lengths [512 32]
#   ROUNDS       rounds of (all depths x (ours per type, llama.cpp)) [2]
#   LLAMA        1 to run llama-bench, 0 to skip it [1]
#   HEAP_32K     1 to finish with a 32,768-token depth under a 2 GB heap (-Xmx2g), f16 and f32 caches [0]
#   OUT          folder for every run's output [/tmp/depth-rounds-<date>]
# Each depth fills its context once per run: at 16384 on 2 threads a run takes minutes. Nothing else should run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${MODEL:?set MODEL to the GGUF to measure}"
GPTOSS="${GPTOSS:-$ROOT/gptoss}"
THREADS="${THREADS:-2}"
DEPTHS="${DEPTHS:-4096 16384}"
KV_TYPES="${KV_TYPES:-bf16 f16 f32}"
PROMPT="${PROMPT:-512}"
GEN="${GEN:-32}"
ROUNDS="${ROUNDS:-2}"
LLAMA="${LLAMA:-1}"
HEAP_32K="${HEAP_32K:-0}"
OUT="${OUT:-/tmp/depth-rounds-$(date -u +%Y%m%dT%H%M%SZ)}"
if [[ "$LLAMA" == 1 ]]; then : "${LLAMA_BENCH:?set LLAMA_BENCH to the llama-bench binary of llama.cpp, or LLAMA=0}"; fi
mkdir -p "$OUT"
SUMMARY="$OUT/summary.tsv"
printf 'round\tdepth\tengine\tkv\tprefill_tok_s\tdecode_tok_s\tload_before\n' >"$SUMMARY"

load() { cut -d' ' -f1-3 /proc/loadavg; }

ours() { # round depth kv [java opts]
  local r="$1" d="$2" kv="$3" opts="${4:-}" f="$OUT/ours-r$1-d$2-$3${4:+-heap}" before
  before="$(load)"
  echo "== $(date -u +%T) round $r depth $d ours kv=$kv ${opts:+($opts) }load: $before" >&2
  GPTOSS_JAVA_OPTS="$opts" "$GPTOSS" bench --model "$MODEL" --threads "$THREADS" --prompt-tokens "$PROMPT" \
    --gen-tokens "$GEN" --depth "$d" --kv-type "$kv" --json >"$f.json" 2>"$f.err" || {
    echo "   failed: see $f.err" >&2; tail -5 "$f.err" >&2; return 0; }
  jq -r --arg r "$r" --arg kv "$kv${opts:+ $opts}" --arg l "$before" \
    '.depths[] | [$r, .depth, "gptoss", $kv, .prefill_tokens_per_s, .decode_tokens_per_s, $l] | @tsv' \
    "$f.json" | tee -a "$SUMMARY" >&2
  jq -r '"   heap max \(.heap_max_mb) MiB, heap pools peak \(.heap_peak_mb) MiB, peak RSS \(.peak_rss_mb) MiB"' \
    "$f.json" >&2
}

llama() { # round depth
  local r="$1" d="$2" f="$OUT/llama-r$1-d$2" before
  before="$(load)"
  echo "== $(date -u +%T) round $r depth $d llama-bench (f16 cache) load: $before" >&2
  "$LLAMA_BENCH" -m "$MODEL" -t "$THREADS" -p "$PROMPT" -n "$GEN" -d "$d" -r 1 -o jsonl >"$f.jsonl" 2>"$f.err" || {
    echo "   failed: see $f.err" >&2; tail -5 "$f.err" >&2; return 0; }
  local pp tg
  pp="$(jq -r 'select(.n_prompt > 0) | .avg_ts' "$f.jsonl")"
  tg="$(jq -r 'select(.n_gen > 0) | .avg_ts' "$f.jsonl")"
  printf '%s\t%s\tllama.cpp\t%s\t%.2f\t%.2f\t%s\n' "$r" "$d" "$(jq -r '.type_k' "$f.jsonl" | head -1)" \
    "$pp" "$tg" "$before" | tee -a "$SUMMARY" >&2
}

echo "depth rounds: $MODEL, $THREADS threads, prompt $PROMPT, gen $GEN, depths $DEPTHS, ours $KV_TYPES; output $OUT" >&2
for r in $(seq 1 "$ROUNDS"); do
  for d in $DEPTHS; do
    for kv in $KV_TYPES; do ours "$r" "$d" "$kv"; done
    if [[ "$LLAMA" == 1 ]]; then llama "$r" "$d"; fi
  done
done

if [[ "$HEAP_32K" == 1 ]]; then
  # a 32k-token context under a 2 GB heap: the cache is off-heap, the heap holds the batch buffers and one head
  # group's attention scores per worker
  for kv in f16 f32; do ours heap 32768 "$kv" -Xmx2g; done
fi

echo >&2
column -t -s $'\t' "$SUMMARY"
# decode and prefill ratios, ours / llama.cpp, per round, depth and cache type
python3 - "$SUMMARY" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
llama = {(r["round"], r["depth"]): r for r in rows if r["engine"] == "llama.cpp"}
for r in rows:
    ref = llama.get((r["round"], r["depth"]))
    if r["engine"] != "gptoss" or ref is None:
        continue
    print(f"round {r['round']} depth {r['depth']} {r['kv']:>5}: decode {float(r['decode_tok_s']) / float(ref['decode_tok_s']):.2f}x"
          f", prefill {float(r['prefill_tok_s']) / float(ref['prefill_tok_s']):.2f}x llama.cpp")
PY
