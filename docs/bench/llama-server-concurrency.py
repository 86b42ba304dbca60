#!/usr/bin/env python3
"""N concurrent /completion requests of 64 tokens (ignore_eos) against llama-server; aggregate tok/s over the wall
time including the prompt, per-stream time to first token (streamed), inter-token gaps."""
import json, sys, threading, time, urllib.request

url, n = sys.argv[1], int(sys.argv[2])
gen = int(sys.argv[3]) if len(sys.argv) > 3 else 64
words = "the session cache is sized by the options and rewinding keeps the window".split()

def prompt(i):
    # distinct prompts of about 32 tokens, as ours (no shared prefix)
    return " ".join(words[(j * 7 + i * 5) % len(words)] + str(i) for j in range(16))

results = [None] * n
def run(i):
    body = json.dumps({"prompt": prompt(i), "n_predict": gen, "ignore_eos": True, "stream": True,
                       "cache_prompt": False, "temperature": 0}).encode()
    req = urllib.request.Request(url + "/completion", body, {"Content-Type": "application/json"})
    t0 = time.time(); times = []
    with urllib.request.urlopen(req) as r:
        for line in r:
            line = line.decode().strip()
            if line.startswith("data: "):
                d = json.loads(line[6:])
                if d.get("content") is not None and not d.get("stop"):
                    times.append(time.time())
    results[i] = (t0, times)

t0 = time.time()
ts = [threading.Thread(target=run, args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
wall = time.time() - t0
toks = sum(len(r[1]) for r in results)
ttft = sorted((r[1][0] - r[0]) * 1000 for r in results)
gaps = sorted((b - a) * 1000 for r in results for a, b in zip(r[1], r[1][1:]))
pct = lambda xs, p: xs[max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))]
print(json.dumps({"concurrency": n, "tokens": toks, "wall_s": round(wall, 2), "aggregate_tokens_per_s": round(toks / wall, 2),
                  "ttft_ms_p50": round(pct(ttft, 50), 1), "ttft_ms_max": round(ttft[-1], 1),
                  "inter_token_ms_p50": round(pct(gaps, 50), 1), "inter_token_ms_p99": round(pct(gaps, 99), 1),
                  "load": open("/proc/loadavg").read().strip()}))
