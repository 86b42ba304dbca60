#!/usr/bin/env python3
"""Independent checks of `gptoss synth` output (python3 + numpy only; nothing here shares code with the Java).

  check_synth.py gguf FILE.gguf [--like FIXTURE.gguf]      structure: header, alignment, offsets, types, shapes
  check_synth.py hf DIR [--like FIXTURE_DIR]                structure: safetensors headers, offsets, index.json
  check_synth.py same FILE.gguf DIR                         same seed: both hold the same values (layouts differ)
  check_synth.py forward DIR [--tokens 1,2,3]               a plain numpy forward pass: activations stay finite

--like compares tensor names, types and shapes with a reference file of the same config (the conformance
fixtures in ../shared/conformance/engine/tiny), allowing only the matrix type to differ for GGUF.
"""
import json, math, os, struct, sys
import numpy as np

GGML = {0: ("F32", 1, 4), 1: ("F16", 1, 2), 8: ("Q8_0", 32, 34), 30: ("BF16", 1, 2), 39: ("MXFP4", 32, 17)}
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


# ---------------------------------------------------------------- GGUF
def read_gguf(path):
    f = open(path, "rb")
    def rd(fmt):
        return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]
    def rs():
        return f.read(rd("<Q")).decode("utf-8")
    def rv(t):
        if t == 8:
            return rs()
        if t == 9:
            et, n = rd("<I"), rd("<Q")
            return [rv(et) for _ in range(n)]
        return rd(SCALARS[t])
    if f.read(4) != b"GGUF":
        fail(f"{path}: bad magic")
    version, n_tensors, n_kv = rd("<I"), rd("<Q"), rd("<Q")
    if version != 3:
        fail(f"{path}: version {version}")
    kv = {}
    for _ in range(n_kv):
        k = rs()
        if k in kv:
            fail(f"duplicate key {k}")
        kv[k] = rv(rd("<I"))
    tensors = []
    for _ in range(n_tensors):
        name = rs()
        dims = [rd("<Q") for _ in range(rd("<I"))]
        tensors.append((name, dims, rd("<I"), rd("<Q")))
    align = kv.get("general.alignment", 32)
    start = (f.tell() + align - 1) // align * align
    return kv, tensors, start, align


def tensor_bytes(dims, t):
    _, block, size = GGML[t]
    if dims[0] % block:
        fail(f"dims {dims} not whole blocks of {GGML[t][0]}")
    n = 1
    for d in dims:
        n *= d
    return n // block * size


def check_gguf(path, like=None):
    kv, tensors, start, align = read_gguf(path)
    size = os.path.getsize(path)
    a = "gpt-oss"
    if kv["general.architecture"] != a:
        fail("architecture")
    H, L = kv[a + ".embedding_length"], kv[a + ".block_count"]
    E, I = kv[a + ".expert_count"], kv[a + ".expert_feed_forward_length"]
    nh, nkv, hd = kv[a + ".attention.head_count"], kv[a + ".attention.head_count_kv"], kv[a + ".attention.key_length"]
    V = len(kv["tokenizer.ggml.tokens"])
    if len(kv["tokenizer.ggml.token_type"]) != V:
        fail("token_type length")
    expected = {"token_embd.weight": [H, V], "output.weight": [H, V], "output_norm.weight": [H]}
    for l in range(L):
        b = f"blk.{l}."
        expected.update({b + "attn_norm.weight": [H], b + "post_attention_norm.weight": [H],
                         b + "attn_q.weight": [H, nh * hd], b + "attn_q.bias": [nh * hd],
                         b + "attn_k.weight": [H, nkv * hd], b + "attn_k.bias": [nkv * hd],
                         b + "attn_v.weight": [H, nkv * hd], b + "attn_v.bias": [nkv * hd],
                         b + "attn_output.weight": [nh * hd, H], b + "attn_output.bias": [H],
                         b + "attn_sinks.weight": [nh], b + "ffn_gate_inp.weight": [H, E], b + "ffn_gate_inp.bias": [E],
                         b + "ffn_gate_exps.weight": [H, I, E], b + "ffn_up_exps.weight": [H, I, E],
                         b + "ffn_down_exps.weight": [I, H, E], b + "ffn_gate_exps.bias": [I, E],
                         b + "ffn_up_exps.bias": [I, E], b + "ffn_down_exps.bias": [H, E]})
    names = {t[0]: t for t in tensors}
    if set(names) != set(expected):
        fail(f"tensor names differ: missing {set(expected) - set(names)}, extra {set(names) - set(expected)}")
    matrix_types = set()
    end = 0
    for name, dims, t, off in sorted(tensors, key=lambda x: x[3]):
        if dims != expected[name]:
            fail(f"{name}: dims {dims}, expected {expected[name]}")
        if off % align or off != (end + align - 1) // align * align:
            fail(f"{name}: offset {off} not the aligned end {end} of the previous tensor")
        end = off + tensor_bytes(dims, t)
        if "_exps.weight" in name:
            if t != 39:
                fail(f"{name}: type {t}, expected MXFP4 (39)")
        elif name.endswith(("attn_q.weight", "attn_k.weight", "attn_v.weight", "attn_output.weight")) \
                or name in ("token_embd.weight", "output.weight"):
            matrix_types.add(t)
        elif t != 0:
            fail(f"{name}: type {GGML[t][0]}, expected F32")
    if len(matrix_types) != 1:
        fail(f"matrices have mixed types {matrix_types}")
    if start % align or size < start + end or size > start + end + align:
        fail(f"file size {size}, data start {start}, data end {end}")
    for k in ("tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"):
        if not 0 <= kv[k] < V:
            fail(f"{k} out of range")
    if like:
        lkv, lt, _, _ = read_gguf(like)
        ref = {t[0]: t for t in lt}
        if set(ref) != set(names):
            fail("tensor names differ from " + like)
        mt = matrix_types.pop()
        for n, (_, dims, t, _) in names.items():
            rdims, rt = ref[n][1], ref[n][2]
            if dims != rdims or not (t == rt or (rt == ref["token_embd.weight"][2] and t == mt)):
                fail(f"{n}: {GGML[t][0]} {dims} vs reference {GGML[rt][0]} {rdims}")
        missing = [k for k in lkv if k not in kv and k != "general.size_label"]
        if missing:
            fail(f"keys of the reference missing: {missing}")
        for k in lkv:
            if k.startswith("gpt-oss.") and lkv[k] != kv[k]:
                fail(f"{k}: {kv[k]} vs reference {lkv[k]}")
        if lkv["tokenizer.ggml.tokens"] != kv["tokenizer.ggml.tokens"] or lkv["tokenizer.ggml.merges"] != kv["tokenizer.ggml.merges"]:
            fail("vocabulary differs from the reference")
    print(f"ok gguf {path}: {len(tensors)} tensors, {len(kv)} keys, vocab {V}, {size} bytes, data at {start}")
    return kv, tensors, start


# ---------------------------------------------------------------- safetensors
ST_SIZE = {"BF16": 2, "F16": 2, "F32": 4, "U8": 1, "I8": 1, "F64": 8, "I64": 8, "I32": 4}


def read_st(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return n, header


def check_st_file(path):
    n, header = read_st(path)
    if n % 8:
        fail(f"{path}: header length {n} not a multiple of 8")
    end = 0
    for name, t in sorted(((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda x: x[1]["data_offsets"][0]):
        a, b = t["data_offsets"]
        if a != end:
            fail(f"{path}: {name} starts at {a}, previous ended at {end}")
        if b - a != int(np.prod(t["shape"])) * ST_SIZE[t["dtype"]]:
            fail(f"{path}: {name} byte range does not match {t['dtype']} {t['shape']}")
        end = b
    if os.path.getsize(path) != 8 + n + end:
        fail(f"{path}: size {os.path.getsize(path)} != 8 + {n} + {end}")
    return header, end


def check_hf(d, like=None):
    cfg = json.load(open(os.path.join(d, "config.json")))
    index = os.path.join(d, "model.safetensors.index.json")
    tensors = {}
    if os.path.exists(index):
        idx = json.load(open(index))
        total = 0
        files = sorted(set(idx["weight_map"].values()))
        for fn in files:
            h, end = check_st_file(os.path.join(d, fn))
            total += end
            for k, v in h.items():
                if k == "__metadata__":
                    continue
                if idx["weight_map"].get(k) != fn:
                    fail(f"index maps {k} to {idx['weight_map'].get(k)}, found in {fn}")
                tensors[k] = v
        if total != idx["metadata"]["total_size"]:
            fail(f"index total_size {idx['metadata']['total_size']} != {total}")
        if set(tensors) != set(idx["weight_map"]):
            fail("index lists tensors the shards do not hold")
    else:
        h, _ = check_st_file(os.path.join(d, "model.safetensors"))
        tensors = {k: v for k, v in h.items() if k != "__metadata__"}
    H, E, I = cfg["hidden_size"], cfg["num_local_experts"], cfg["intermediate_size"]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}.mlp.experts."
        want = {p + "gate_up_proj_blocks": ("U8", [E, 2 * I, H // 32, 16]), p + "gate_up_proj_scales": ("U8", [E, 2 * I, H // 32]),
                p + "down_proj_blocks": ("U8", [E, H, I // 32, 16]), p + "down_proj_scales": ("U8", [E, H, I // 32])}
        for k, (dt, sh) in want.items():
            if (tensors[k]["dtype"], tensors[k]["shape"]) != (dt, sh):
                fail(f"{k}: {tensors[k]['dtype']} {tensors[k]['shape']}, expected {dt} {sh}")
    if like:
        ref = {k: v for k, v in read_st(os.path.join(like, "model.safetensors"))[1].items() if k != "__metadata__"}
        if set(ref) != set(tensors):
            fail(f"names differ from {like}: {set(ref) ^ set(tensors)}")
        for k in ref:
            if (ref[k]["dtype"], ref[k]["shape"]) != (tensors[k]["dtype"], tensors[k]["shape"]):
                fail(f"{k}: {tensors[k]['dtype']} {tensors[k]['shape']} vs reference {ref[k]['dtype']} {ref[k]['shape']}")
        rc = json.load(open(os.path.join(like, "config.json")))
        diff = [k for k in rc if rc[k] != cfg.get(k)]
        if diff:
            fail(f"config.json differs from the reference in {diff}")
    print(f"ok hf {d}: {len(tensors)} tensors")
    return cfg, tensors


class HfModel:
    """Reads tensors of a checkpoint directory as numpy arrays (memory-mapped)."""

    def __init__(self, d):
        self.d = d
        index = os.path.join(d, "model.safetensors.index.json")
        if os.path.exists(index):
            files = set(json.load(open(index))["weight_map"].values())
        else:
            files = {"model.safetensors"}
        self.where = {}
        for fn in files:
            n, h = read_st(os.path.join(d, fn))
            mm = np.memmap(os.path.join(d, fn), dtype=np.uint8, mode="r")
            for k, v in h.items():
                if k != "__metadata__":
                    self.where[k] = (mm, 8 + n, v)

    def raw(self, name):
        mm, base, v = self.where[name]
        a, b = v["data_offsets"]
        return mm[base + a: base + b], v

    def get(self, name):
        raw, v = self.raw(name)
        if v["dtype"] == "BF16":
            return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32).reshape(v["shape"])
        if v["dtype"] == "F32":
            return raw.view(np.float32).reshape(v["shape"])
        return raw.reshape(v["shape"])


FP4 = np.array([0, .5, 1, 1.5, 2, 3, 4, 6, -0., -.5, -1, -1.5, -2, -3, -4, -6], dtype=np.float32)


def dequant_hf(blocks, scales):
    """openai layout: byte j of a block holds value 2j (low nibble) and 2j+1 (high nibble)."""
    lo, hi = FP4[blocks & 15], FP4[blocks >> 4]
    vals = np.stack([lo, hi], axis=-1).reshape(*blocks.shape[:-1], 32)
    vals = vals * np.exp2(scales.astype(np.int32) - 127)[..., None]
    return vals.reshape(*blocks.shape[:-2], -1)


def dequant_ggml(raw, rows, cols):
    """ggml block_mxfp4: E8M0 byte, then byte j holds value j (low) and value j + 16 (high)."""
    b = raw.reshape(rows, cols // 32, 17)
    e, qs = b[..., 0], b[..., 1:]
    vals = np.concatenate([FP4[qs & 15], FP4[qs >> 4]], axis=-1)
    return (vals * np.exp2(e.astype(np.int32) - 127)[..., None]).reshape(rows, cols)


def gguf_array(path, kv, tensors, start, name):
    t = {x[0]: x for x in tensors}[name]
    _, dims, typ, off = t
    n = tensor_bytes(dims, typ)
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=start + off, shape=(n,))
    rows = int(np.prod(dims[1:])) if len(dims) > 1 else 1
    if typ == 0:
        return raw.view(np.float32).reshape(rows, dims[0])
    if typ == 30:
        return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32).reshape(rows, dims[0])
    if typ == 1:
        return raw.view(np.float16).astype(np.float32).reshape(rows, dims[0])
    if typ == 8:
        b = np.asarray(raw).reshape(rows, dims[0] // 32, 34)
        d = b[..., :2].copy().view(np.float16).astype(np.float32)
        q = b[..., 2:].copy().view(np.int8).astype(np.float32)
        return (q * d).reshape(rows, dims[0])
    if typ == 39:
        return dequant_ggml(np.asarray(raw), rows, dims[0])
    fail(f"type {typ}")


def check_same(gguf_path, d):
    kv, tensors, start = check_gguf(gguf_path)
    cfg, _ = check_hf(d)
    hf = HfModel(d)
    I = cfg["intermediate_size"]
    mt = {x[0]: x for x in tensors}["token_embd.weight"][2]
    tol = {0: 0, 30: 0, 1: 1e-3, 8: 1.0 / 127}[mt]

    def same(gname, hfarr, exact):
        g = gguf_array(gguf_path, kv, tensors, start, gname)
        h = np.asarray(hfarr, dtype=np.float32).reshape(g.shape)
        err = np.abs(g - h).max()
        scale = np.abs(h).max() or 1
        if (exact and err != 0) or err / scale > max(tol, 0) + (0 if exact else 1e-6):
            fail(f"{gname}: max |gguf - hf| = {err} (scale {scale})")

    for g, h, exact in [("token_embd.weight", "model.embed_tokens.weight", False), ("output.weight", "lm_head.weight", False),
                        ("output_norm.weight", "model.norm.weight", True)]:
        same(g, hf.get(h), exact)
    for l in range(cfg["num_hidden_layers"]):
        b, p = f"blk.{l}.", f"model.layers.{l}."
        pairs = [(b + "attn_norm.weight", p + "input_layernorm.weight", True),
                  (b + "post_attention_norm.weight", p + "post_attention_layernorm.weight", True),
                  (b + "attn_q.weight", p + "self_attn.q_proj.weight", False), (b + "attn_k.weight", p + "self_attn.k_proj.weight", False),
                  (b + "attn_v.weight", p + "self_attn.v_proj.weight", False), (b + "attn_output.weight", p + "self_attn.o_proj.weight", False),
                  (b + "attn_q.bias", p + "self_attn.q_proj.bias", True), (b + "attn_k.bias", p + "self_attn.k_proj.bias", True),
                  (b + "attn_v.bias", p + "self_attn.v_proj.bias", True), (b + "attn_output.bias", p + "self_attn.o_proj.bias", True),
                  (b + "attn_sinks.weight", p + "self_attn.sinks", True), (b + "ffn_gate_inp.weight", p + "mlp.router.weight", True),
                  (b + "ffn_gate_inp.bias", p + "mlp.router.bias", True),
                  (b + "ffn_down_exps.bias", p + "mlp.experts.down_proj_bias", True)]
        for g, h, exact in pairs:
            same(g, hf.get(h), exact)
        gub = hf.get(p + "mlp.experts.gate_up_proj_bias")
        same(b + "ffn_gate_exps.bias", gub[:, 0::2], True)
        same(b + "ffn_up_exps.bias", gub[:, 1::2], True)
        gu = dequant_hf(hf.get(p + "mlp.experts.gate_up_proj_blocks"), hf.get(p + "mlp.experts.gate_up_proj_scales"))
        same(b + "ffn_gate_exps.weight", gu[:, 0::2, :], True)
        same(b + "ffn_up_exps.weight", gu[:, 1::2, :], True)
        dn = dequant_hf(hf.get(p + "mlp.experts.down_proj_blocks"), hf.get(p + "mlp.experts.down_proj_scales"))
        same(b + "ffn_down_exps.weight", dn, True)
    print(f"ok same: {gguf_path} and {d} hold the same values (matrix type {GGML[mt][0]}, tolerance {tol})")


# ---------------------------------------------------------------- forward pass
def forward(d, tokens):
    """gpt-oss in plain numpy (RoPE without YaRN: only magnitudes matter here). Prints activation scales."""
    cfg = json.load(open(os.path.join(d, "config.json")))
    m = HfModel(d)
    H, nh, nkv, hd = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    k_top, limit, win = cfg["num_experts_per_tok"], cfg["swiglu_limit"], cfg["sliding_window"]
    T = len(tokens)

    def rms(x, w):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + cfg["rms_norm_eps"]) * w

    inv = cfg["rope_theta"] ** (-np.arange(0, hd, 2) / hd)
    ang = np.arange(T)[:, None] * inv[None]
    cos, sin = np.cos(ang), np.sin(ang)

    def rope(x):
        a, b = x[..., : hd // 2], x[..., hd // 2:]
        return np.concatenate([a * cos[:, None] - b * sin[:, None], b * cos[:, None] + a * sin[:, None]], -1)

    x = m.get("model.embed_tokens.weight")[tokens].astype(np.float64)
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        g = lambda n: m.get(p + n).astype(np.float64)
        h = rms(x, g("input_layernorm.weight"))
        q = (h @ g("self_attn.q_proj.weight").T + g("self_attn.q_proj.bias")).reshape(T, nh, hd)
        k = (h @ g("self_attn.k_proj.weight").T + g("self_attn.k_proj.bias")).reshape(T, nkv, hd)
        v = (h @ g("self_attn.v_proj.weight").T + g("self_attn.v_proj.bias")).reshape(T, nkv, hd)
        q, k = rope(q), rope(k)
        rep = nh // nkv
        k, v = np.repeat(k, rep, 1), np.repeat(v, rep, 1)
        s = np.einsum("qhd,khd->hqk", q, k) / math.sqrt(hd)
        i, j = np.arange(T)[:, None], np.arange(T)[None]
        mask = j > i
        if cfg["layer_types"][l] == "sliding_attention":
            mask |= (i - j) >= win
        s = np.where(mask[None], -np.inf, s)
        sinks = g("self_attn.sinks")[:, None, None] * np.ones((1, T, 1))
        s = np.concatenate([s, sinks], -1)
        s = np.exp(s - s.max(-1, keepdims=True))
        pr = (s / s.sum(-1, keepdims=True))[..., :-1]
        o = np.einsum("hqk,khd->qhd", pr, v).reshape(T, nh * hd)
        x = x + o @ g("self_attn.o_proj.weight").T + g("self_attn.o_proj.bias")
        h = rms(x, g("post_attention_layernorm.weight"))
        logits = h @ g("mlp.router.weight").T + g("mlp.router.bias")
        mlp = np.zeros_like(x)
        gub, dnb = g("mlp.experts.gate_up_proj_bias"), g("mlp.experts.down_proj_bias")
        for t in range(T):
            top = np.argsort(-logits[t])[:k_top]
            w = np.exp(logits[t, top] - logits[t, top].max())
            w /= w.sum()
            for e, we in zip(top, w):
                gu = dequant_hf(m.get(p + "mlp.experts.gate_up_proj_blocks")[e], m.get(p + "mlp.experts.gate_up_proj_scales")[e])
                y = gu @ h[t] + gub[e]
                gate, up = np.minimum(y[0::2], limit), np.clip(y[1::2], -limit, limit)
                act = gate * (1 / (1 + np.exp(-1.702 * gate))) * (up + 1)
                dn = dequant_hf(m.get(p + "mlp.experts.down_proj_blocks")[e], m.get(p + "mlp.experts.down_proj_scales")[e])
                mlp[t] += we * (dn @ act + dnb[e])
        x = x + mlp
        print(f"layer {l:2d} ({cfg['layer_types'][l][:7]}): residual rms {np.sqrt((x * x).mean()):.3f}, "
              f"attention out rms {np.sqrt((o * o).mean()):.3f}, moe out rms {np.sqrt((mlp * mlp).mean()):.3f}")
    logits = rms(x, m.get("model.norm.weight")) @ m.get("lm_head.weight").astype(np.float64).T
    if not np.isfinite(logits).all():
        fail("non-finite logits")
    print(f"ok forward: logits std {logits.std():.3f}, max {logits.max():.3f}, greedy {list(logits.argmax(-1))}")


if __name__ == "__main__":
    args = sys.argv[1:]
    opt = lambda k: args[args.index(k) + 1] if k in args else None
    if args[0] == "gguf":
        check_gguf(args[1], opt("--like"))
    elif args[0] == "hf":
        check_hf(args[1], opt("--like"))
    elif args[0] == "same":
        check_same(args[1], args[2])
    elif args[0] == "forward":
        forward(args[1], [int(t) for t in (opt("--tokens") or "1,2,3,4,5").split(",")])
    else:
        print(__doc__)
