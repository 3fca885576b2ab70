"""Make cheaper variants of a bundle: int8 (dynamic quantization) and bf16-inside, each its own bundle directory.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread/ /usr/bin/python3 deploy/models/make_variants.py \
        deploy/models/fashion-clip-mini [--variants int8,bf16] [--threads 1] [--no-speed]

Writes ``<bundle>-int8/`` and ``<bundle>-bf16/`` next to the bundle: ``model.pt``, the bundle's ``tokenizer.json``
(copied) and ``montage-model.json`` with the version ``<version>-int8`` / ``<version>-bf16``, the ``precision``
``int8`` / ``bf16`` and a ``variant`` section: what it derives from (name, version, sha256 of the fp32 model.pt),
the method, its MEASURED fidelity against the fp32 bundle on the bundle's reference set, and its measured speed
(side by side with the fp32 bundle in the same run, machine named).

* **int8**: ``torch.ao.quantization.quantize_dynamic`` on every ``nn.Linear`` (weights qint8, per tensor; activations
  quantized per batch at run time), TorchScript. Convolutions, embeddings and layer norms stay fp32 (dynamic
  quantization has no kernels for them), so a CNN image tower gains little; a Transformer gains the most.
* **bf16**: every weight cast to bfloat16 inside the TorchScript; inputs and outputs stay float32 / int64.

Fidelity, clip (``reference/embeddings.json``'s images and texts): cosine between the variant's and the fp32
bundle's embeddings, min and mean, per tower. Fused (``reference/heldout.json``): max |delta probability| over every
held-out probability, the variant's held-out accuracy and how many answers equal the fp32 bundle's.

The variant is rebuilt from the bundle alone: the eager module (``montage_clip`` / ``train_fused``) is reconstructed
from the TorchScript's weights and attributes and must answer exactly as the TorchScript does before it is
quantized. The variants are deterministic functions of the bundle (no randomness), and ``model.pt`` is
byte-reproducible (``PYTHONHASHSEED=0``, see ``montage_clip.reexec_with_fixed_env``); the manifest's ``speed``
differs between runs, as measurements do.

Kernels: Debian's torch has no fbgemm here (``torch.backends.quantized.supported_engines``: qnnpack, onednn); the
int8 fidelity is measured with onednn (see ``quantized_engine``), named in ``variant.fidelity.engine``. libtorch
2.7.1 (DJL) repacks the int8 weights for its own x86 engine (fbgemm) at load time; the worker's ``VariantFidelityTest`` recomputes the fidelity
through DJL and holds it to the recorded minimum.

ONNX int8 variants are not made: quantizing an ONNX graph needs Python ``onnxruntime`` (its quantization tool),
which is not installable here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
from torch import Tensor, nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import montage_clip as mc  # noqa: E402
import preprocess  # noqa: E402
import train_fused  # noqa: E402
from train_demo import machine_description, sha256_file  # noqa: E402

VARIANTS = ("int8", "bf16")
BATCHES = (1, 8, 32)
# the bundle's own fp32 answers must come back from the rebuilt eager module (same weights, same code)
REBUILD_TOLERANCE = 1e-5


# ------------------------------------------------------------------------------------------ rebuilding the eager module

def _layer(module, i: int):
    return getattr(module, str(i))


def _count(state: Dict[str, Tensor], prefix: str) -> int:
    return len({k[len(prefix):].split(".")[0] for k in state if k.startswith(prefix)})


def clip_from_torchscript(ts) -> mc.ClipModel:
    """The ``montage_clip.ClipModel`` a TorchScript bundle was scripted from: shapes from the weights, heads,
    activation, pooling and layer-norm eps from the scripted module's attributes."""
    s = ts.state_dict()
    text = ts.text
    t0 = _layer(text.encoder.layers, 0)
    tc = mc.TextConfig(vocab_size=s["text.token_embedding.weight"].shape[0],
                       context_length=s["text.position_embedding"].shape[0],
                       width=s["text.token_embedding.weight"].shape[1],
                       layers=_count(s, "text.encoder.layers."), heads=t0.self_attn.heads,
                       intermediate_size=s["text.encoder.layers.0.mlp.fc1.weight"].shape[0],
                       act="quick_gelu" if t0.mlp.quick_gelu else "gelu",
                       layer_norm_eps=text.final_layer_norm.eps, causal=text.causal,
                       pooling="mean" if text.pool_mean else ("argmax" if text.pool_argmax else "eos_id"),
                       eos_token_id=text.eos_token_id)
    if "vision.patch_embedding.weight" in s:
        pw = s["vision.patch_embedding.weight"]
        v0 = _layer(ts.vision.encoder.layers, 0)
        grid = int(round((s["vision.position_embedding"].shape[0] - 1) ** 0.5))
        vc = mc.VisionConfig(kind="vit", image_size=grid * pw.shape[2], channels=pw.shape[1], patch_size=pw.shape[2],
                             width=pw.shape[0], layers=_count(s, "vision.encoder.layers."), heads=v0.self_attn.heads,
                             intermediate_size=s["vision.encoder.layers.0.mlp.fc1.weight"].shape[0],
                             act="quick_gelu" if v0.mlp.quick_gelu else "gelu",
                             layer_norm_eps=ts.vision.post_layernorm.eps)
    else:
        convs = [s[k] for k in sorted((k for k in s if k.startswith("vision.features.") and k.endswith(".weight")
                                       and s[k].dim() == 4), key=lambda k: int(k.split(".")[2]))]
        vc = mc.VisionConfig(kind="cnn", channels=convs[0].shape[1], cnn_channels=[w.shape[0] for w in convs[::2]])
    model = mc.ClipModel(mc.ClipConfig(embedding_dim=s["text.proj.weight"].shape[0], vision=vc, text=tc))
    model.load_state_dict(s)
    return model.eval()


def fused_from_torchscript(ts) -> train_fused.FusedClassifier:
    """The ``train_fused.FusedClassifier`` a fused TorchScript bundle was scripted from."""
    s = ts.state_dict()
    mode = "fused" if ts.use_image and ts.use_text else ("image" if ts.use_image else "text")
    head_out = max((k for k in s if k.startswith("head.") and k.endswith(".weight")), key=lambda k: int(k.split(".")[1]))
    model = train_fused.FusedClassifier(s["text.token_embedding.weight"].shape[0], s[head_out].shape[0], mode,
                                        s["image.proj.weight"].shape[0])
    model.load_state_dict(s)
    return model.eval()


# ---------------------------------------------------------------------------------------- the variants' TorchScript

class ClipVariant(nn.Module):
    """The two towers behind the bundle's method contract, whatever their weights became: casts inputs to the
    towers' compute dtype and outputs back to float32 (``ClipModel.encode_image`` reads the dtype from a Linear
    weight, which a quantized Linear no longer has)."""

    def __init__(self, model: mc.ClipModel, dtype: torch.dtype):
        super().__init__()
        self.vision = model.vision
        self.text = model.text
        self.bf16 = dtype == torch.bfloat16

    def forward(self, pixels: Tensor) -> Tensor:
        return self.encode_image(pixels)

    @torch.jit.export
    def encode_image(self, pixels: Tensor) -> Tensor:
        x = pixels.to(torch.bfloat16) if self.bf16 else pixels.float()
        return self.vision(x).float()

    @torch.jit.export
    def encode_text(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.text(input_ids.long(), attention_mask.long()).float()


class FusedVariant(nn.Module):
    """A fused classifier behind ``predict``: pixels in the compute dtype, the softmax in float32."""

    def __init__(self, model: train_fused.FusedClassifier, dtype: torch.dtype):
        super().__init__()
        self.model = model
        self.bf16 = dtype == torch.bfloat16

    def forward(self, pixels: Tensor, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.predict(pixels, input_ids, attention_mask)

    @torch.jit.export
    def predict(self, pixels: Tensor, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        x = pixels.to(torch.bfloat16) if self.bf16 else pixels.float()
        logits = self.model.logits(x, input_ids.long(), attention_mask.long())
        return torch.softmax(logits.float(), dim=-1)


def make_variant(eager: nn.Module, variant: str, fused: bool) -> torch.jit.ScriptModule:
    if variant == "int8":
        model = torch.ao.quantization.quantize_dynamic(eager, {nn.Linear}, dtype=torch.qint8)
        dtype = torch.float32
    else:
        dtype = torch.bfloat16
        model = eager.to(dtype)
    wrapper = FusedVariant(model, dtype) if fused else ClipVariant(model, dtype)
    return torch.jit.script(wrapper.eval())


METHODS = {
    "int8": "dynamic int8: torch.ao.quantization.quantize_dynamic on every nn.Linear (weights qint8 per tensor, "
            "activations quantized per batch at run time); convolutions, embeddings and layer norms fp32",
    "bf16": "bf16 inside: every weight cast to bfloat16 in the TorchScript; inputs and outputs float32/int64",
}


# --------------------------------------------------------------------------------------------------- reference sets

class Reference:
    """The bundle's reference inputs and a way to run a model over them: ``outputs(model)`` -> per tower."""

    def __init__(self, bundle: str, manifest: dict):
        self.manifest = manifest
        self.fused = manifest["kind"] == "fused"
        spec = manifest["image"]
        if self.fused:
            doc = _json(os.path.join(bundle, "reference", "heldout.json"))
            self.labels = doc["labels"]
            self.truth = torch.tensor([self.labels.index(i["label"]) for i in doc["items"]])
            self.pixels = torch.from_numpy(np.stack([preprocess.preprocess_file(
                os.path.join(doc["stamps_root"], i["image"]), spec) for i in doc["items"]]))
            self.ids = torch.tensor([i["input_ids"] for i in doc["items"]])
            self.mask = torch.tensor([i["attention_mask"] for i in doc["items"]])
            self.description = f"reference/heldout.json: {len(doc['items'])} held-out stamps (photo + caption)"
        else:
            doc = _json(os.path.join(bundle, "reference", "embeddings.json"))
            self.pixels = torch.from_numpy(np.stack([preprocess.preprocess_file(
                os.path.join(bundle, "reference", i["file"]), spec) for i in doc["images"]]))
            self.ids = torch.tensor([t["input_ids"] for t in doc["texts"]])
            self.mask = torch.tensor([t["attention_mask"] for t in doc["texts"]])
            self.description = (f"reference/embeddings.json: {len(doc['images'])} images, "
                                f"{len(doc['texts'])} texts")

    @torch.no_grad()
    def outputs(self, model) -> Dict[str, Tensor]:
        ts = self.manifest["torchscript"]
        if self.fused:
            return {"predict": getattr(model, ts.get("predict_method", "predict"))(self.pixels, self.ids, self.mask)}
        return {"image": getattr(model, ts.get("image_method", "encode_image"))(self.pixels),
                "text": getattr(model, ts.get("text_method", "encode_text"))(self.ids, self.mask)}

    def fidelity(self, fp32: Dict[str, Tensor], variant: Dict[str, Tensor], engine: str) -> dict:
        out = {"reference": self.description, "engine": engine}
        if self.fused:
            p, q = fp32["predict"], variant["predict"]
            out["max_abs_prob_diff"] = _round(float((p - q).abs().max()))
            correct = int((q.argmax(-1) == self.truth).sum())
            out["heldout_accuracy"] = correct / len(self.truth)
            out["heldout_correct"] = correct
            out["fp32_heldout_accuracy"] = int((p.argmax(-1) == self.truth).sum()) / len(self.truth)
            out["same_answer_as_fp32"] = int((p.argmax(-1) == q.argmax(-1)).sum())
            out["count"] = len(self.truth)
            return out
        for tower in ("image", "text"):
            cos = torch.nn.functional.cosine_similarity(fp32[tower].double(), variant[tower].double(), dim=-1)
            out[f"{tower}_cosine_min"] = _round(float(cos.min()))
            out[f"{tower}_cosine_mean"] = _round(float(cos.mean()))
        return out


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def _json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def quantized_engine() -> str:
    """The int8 kernels to measure with: the ones libtorch serves with on x86 (fbgemm, "x86") when this torch has
    them, else onednn, which like fbgemm honours the graph's ``reduce_range`` (7-bit activations); qnnpack ignores
    it and measured a third less error on the fused demo than DJL then served (max |dp| 0.0086 against 0.0139)."""
    for engine in ("fbgemm", "x86", "onednn", "qnnpack"):
        if engine in torch.backends.quantized.supported_engines:
            return engine
    sys.exit("this torch has no quantized engine")


# ------------------------------------------------------------------------------------------------------------- speed

ROUNDS = 5
ROUND_SECONDS = 0.5


@torch.no_grad()
def items_per_second(fn: Callable[[int], Tensor], batch: int, seconds: float = ROUND_SECONDS) -> float:
    """Items per second of ``fn(batch)`` over at least ``seconds`` (and 2 calls)."""
    calls, t0 = 0, time.perf_counter()
    while calls < 2 or time.perf_counter() - t0 < seconds:
        fn(batch)
        calls += 1
    return calls * batch / (time.perf_counter() - t0)


def speed_inputs(ref: Reference, batch: int) -> Tuple[Tensor, Tensor, Tensor]:
    rep = lambda t: t.repeat((batch + len(t) - 1) // len(t), *([1] * (t.dim() - 1)))[:batch]  # noqa: E731
    return rep(ref.pixels), rep(ref.ids), rep(ref.mask)


def measure_speed(models: Dict[str, object], ref: Reference) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Per model, per tower (image, text; predict for fused), items/s at each batch size: the median of ROUNDS
    rounds, the models interleaved within each round so that a neighbour's burst falls on all of them alike."""
    ts = ref.manifest["torchscript"]
    rates: Dict[Tuple[str, str, int], List[float]] = {}
    for round_ in range(-1, ROUNDS):  # round -1 warms every shape up, untimed
        for batch in BATCHES:
            px, ids, mask = speed_inputs(ref, batch)
            for name, m in models.items():
                if ref.fused:
                    predict = getattr(m, ts.get("predict_method", "predict"))
                    towers = {"predict": lambda b: predict(px, ids, mask)}
                else:
                    enc_i = getattr(m, ts.get("image_method", "encode_image"))
                    enc_t = getattr(m, ts.get("text_method", "encode_text"))
                    towers = {"image": lambda b: enc_i(px), "text": lambda b: enc_t(ids, mask)}
                for tower, fn in towers.items():
                    rate = items_per_second(fn, batch)
                    if round_ >= 0:
                        rates.setdefault((name, tower, batch), []).append(rate)
    result: Dict[str, Dict[str, Dict[str, float]]] = {name: {} for name in models}
    for (name, tower, batch), values in rates.items():
        result[name].setdefault(tower, {})[str(batch)] = round(float(np.median(values)), 1)
    return result


# -------------------------------------------------------------------------------------------------------------- main

def main() -> None:
    mc.reexec_with_fixed_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--out-root", help="where the variant directories go (default: next to the bundle)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads for the speed measurement")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement (no 'speed' in the manifest)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    bundle = os.path.abspath(args.bundle)
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        sys.exit(f"unknown variants {sorted(unknown)}; known: {', '.join(VARIANTS)}")

    manifest = _json(os.path.join(bundle, "montage-model.json"))
    if manifest["precision"] != "fp32" or "variant" in manifest:
        sys.exit("variants are made from an fp32 bundle, not from another variant")
    for fname, sha in manifest["files"].items():
        if sha256_file(os.path.join(bundle, fname)) != sha:
            sys.exit(f"{fname}: sha256 differs from the manifest")
    fused = manifest["kind"] == "fused"
    model_file = os.path.join(bundle, manifest["torchscript"]["file"])
    fp32 = torch.jit.load(model_file).eval()
    ref = Reference(bundle, manifest)
    expected = ref.outputs(fp32)

    engine = quantized_engine()
    torch.backends.quantized.engine = engine
    built: Dict[str, Tuple[str, torch.jit.ScriptModule, dict]] = {}
    for variant in variants:
        eager = fused_from_torchscript(fp32) if fused else clip_from_torchscript(fp32)
        rebuilt = ref.outputs(eager)
        for k in expected:
            d = float((rebuilt[k] - expected[k]).abs().max())
            if d > REBUILD_TOLERANCE:
                sys.exit(f"the rebuilt eager model differs from the bundle ({k}: max |diff| {d:.2e})")
        out_dir = os.path.join(os.path.abspath(args.out_root) if args.out_root else os.path.dirname(bundle),
                               f"{os.path.basename(bundle)}-{variant}")
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, "model.pt")
        make_variant(eager, variant, fused).save(path)
        ts = torch.jit.load(path).eval()  # the artifact itself is measured, not the module that wrote it
        fidelity = ref.fidelity(expected, ref.outputs(ts), engine if variant == "int8" else "native")
        built[variant] = (out_dir, ts, fidelity)
        print(f"{variant}: {json.dumps(fidelity)}", flush=True)

    speed = None
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if not args.no_speed:
        speed = measure_speed({"fp32": fp32, **{v: b[1] for v, b in built.items()}}, ref)
    for variant, (out_dir, _, fidelity) in built.items():
        tok = manifest["text"]["tokenizer"]
        shutil.copyfile(os.path.join(bundle, tok), os.path.join(out_dir, tok))
        m = dict(manifest)
        m["version"] = f"{manifest['version']}-{variant}"
        m["precision"] = variant
        m["torchscript"] = {**manifest["torchscript"], "file": "model.pt"}
        m["files"] = {"model.pt": sha256_file(os.path.join(out_dir, "model.pt")),
                      tok: sha256_file(os.path.join(out_dir, tok))}
        m["variant"] = {
            "of": {"name": manifest["name"], "version": manifest["version"], "model_sha256": sha256_file(model_file)},
            "method": variant,
            "description": METHODS[variant],
            "made_by": "deploy/models/make_variants.py",
            "fidelity": fidelity,
        }
        if speed is not None:
            m["variant"]["speed"] = {"machine": f"{machine_description(args.threads)}; Python, median of {ROUNDS} "
                                                f"rounds of {ROUND_SECONDS} s, interleaved with the fp32 bundle; "
                                                f"load average before {load_before}",
                                     "items_per_second": speed[variant], "fp32_items_per_second": speed["fp32"]}
        with open(os.path.join(out_dir, "montage-model.json"), "w") as f:
            json.dump(m, f, indent=2)
            f.write("\n")
        print(f"wrote {out_dir} ({os.path.getsize(os.path.join(out_dir, 'model.pt')):,} bytes)")
    if speed is not None:
        print(json.dumps(speed))


if __name__ == "__main__":
    main()
