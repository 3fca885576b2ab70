"""Hugging Face CLIP checkpoint -> Montage bundle; also the random ViT-B/32 benchmark bundle.

    # a real checkpoint directory (config.json, model.safetensors or pytorch_model.bin [sharded ok],
    # tokenizer.json, preprocessor_config.json, optionally special_tokens_map.json / tokenizer_config.json)
    /usr/bin/python3 deploy/models/export_hf_clip.py HF_DIR OUT_DIR [--name N] [--version V] [--precision fp32|bf16|fp16]

    # random-weight ViT-B/32-shaped bundle for throughput benchmarks (~605 MB fp32; not committed)
    /usr/bin/python3 deploy/models/export_hf_clip.py --random-vit-b32 [OUT_DIR] [--precision bf16]

    # a synthetic checkpoint in HF CLIPModel layout (random weights, HF key names) for testing the exporter
    /usr/bin/python3 deploy/models/export_hf_clip.py --make-fake-hf-checkpoint DIR [--tiny] [--safetensors]

    # end-to-end self-test: fake checkpoint -> export -> TorchScript loads, both methods, compared with an
    # independent functional re-implementation of HF's CLIP forward pass that reads the HF state dict directly
    /usr/bin/python3 deploy/models/export_hf_clip.py --self-test [--full-size]

NOT verified against a real ``transformers`` CLIPModel here (``transformers`` is not installable and no real
checkpoint is reachable): the key mapping, quick_gelu, pre-LN blocks, masks and pooling follow HF's modeling_clip.py.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import struct
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import montage_clip as mc  # noqa: E402
import tokenizer as tk  # noqa: E402
from train_demo import sha256_file  # noqa: E402

DEFAULT_BENCH_DIR = os.path.join(HERE, "build", "vit-b32-random")
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
# the 7-prompt ensemble from OpenAI's CLIP ImageNet notebook
CLIP_TEMPLATES = ["itap of a {}.", "a bad photo of the {}.", "a origami {}.", "a photo of the large {}.",
                  "a {} in a video game.", "art of the {}.", "a photo of the small {}."]
PIL_RESAMPLE = {0: "nearest", 2: "bilinear", 3: "bicubic"}
BOS, EOS = "<|startoftext|>", "<|endoftext|>"
UNK_BENCH = "<|unk|>"


# ------------------------------------------------------------------------------------------------- checkpoint reading

_ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
              "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
              "BOOL": torch.bool}


def load_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """Minimal safetensors reader (8-byte little-endian header size, JSON header, raw little-endian data)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _ST_DTYPES[info["dtype"]]
        buf = bytearray(data[base + start:base + end])
        t = torch.frombuffer(buf, dtype=dtype) if buf else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def save_safetensors(tensors: Dict[str, torch.Tensor], path: str) -> None:
    inv = {v: k for k, v in _ST_DTYPES.items()}
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        b = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": inv[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for b in blobs:
            f.write(b)


def load_hf_state_dict(hf_dir: str) -> Dict[str, torch.Tensor]:
    def load_one(p: str) -> Dict[str, torch.Tensor]:
        return load_safetensors(p) if p.endswith(".safetensors") else torch.load(p, map_location="cpu")

    for index in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
        p = os.path.join(hf_dir, index)
        if os.path.exists(p):
            with open(p) as f:
                shards = sorted(set(json.load(f)["weight_map"].values()))
            sd: Dict[str, torch.Tensor] = {}
            for s in shards:
                sd.update(load_one(os.path.join(hf_dir, s)))
            return sd
    for single in ("model.safetensors", "pytorch_model.bin"):
        p = os.path.join(hf_dir, single)
        if os.path.exists(p):
            return load_one(p)
    raise FileNotFoundError(f"{hf_dir}: no model.safetensors or pytorch_model.bin")


# ------------------------------------------------------------------------------------------------------ key mapping

def map_hf_key(key: str) -> Optional[str]:
    """HF ``CLIPModel`` state-dict name -> montage_clip name (None = ignore)."""
    if key.endswith("position_ids"):
        return None
    fixed = {
        "vision_model.embeddings.patch_embedding.weight": "vision.patch_embedding.weight",
        "vision_model.embeddings.class_embedding": "vision.class_embedding",
        "vision_model.embeddings.position_embedding.weight": "vision.position_embedding",
        "visual_projection.weight": "vision.proj.weight",
        "text_model.embeddings.token_embedding.weight": "text.token_embedding.weight",
        "text_model.embeddings.position_embedding.weight": "text.position_embedding",
        "text_projection.weight": "text.proj.weight",
        "logit_scale": "logit_scale",
    }
    if key in fixed:
        return fixed[key]
    for hf, ours in (("vision_model.pre_layrnorm.", "vision.pre_layernorm."),
                     ("vision_model.post_layernorm.", "vision.post_layernorm."),
                     ("vision_model.encoder.layers.", "vision.encoder.layers."),
                     ("text_model.final_layer_norm.", "text.final_layer_norm."),
                     ("text_model.encoder.layers.", "text.encoder.layers.")):
        if key.startswith(hf):
            # inside a layer the names are the same: self_attn.{q,k,v,out}_proj, layer_norm1/2, mlp.fc1/fc2
            return ours + key[len(hf):]
    raise KeyError(f"unexpected key in a CLIPModel checkpoint: {key}")


def _count_layers(sd: Dict[str, torch.Tensor], prefix: str) -> int:
    idx = {int(k[len(prefix):].split(".")[0]) for k in sd if k.startswith(prefix)}
    return max(idx) + 1 if idx else 0


def config_from_hf(cfg: dict, sd: Dict[str, torch.Tensor]) -> mc.ClipConfig:
    """Shapes from the weights; heads, activation, eps and the EOS rule from config.json."""
    tc = cfg.get("text_config") or cfg.get("text_config_dict") or {}
    vc = cfg.get("vision_config") or cfg.get("vision_config_dict") or {}
    patch = sd["vision_model.embeddings.patch_embedding.weight"]
    vpos = sd["vision_model.embeddings.position_embedding.weight"]
    grid = int(round(math.sqrt(vpos.shape[0] - 1)))
    if grid * grid + 1 != vpos.shape[0]:
        raise ValueError("vision position embedding is not a square grid + class token")
    eos = tc.get("eos_token_id", 49407)
    vision = mc.VisionConfig(
        kind="vit", image_size=grid * patch.shape[2], channels=patch.shape[1], patch_size=patch.shape[2],
        width=patch.shape[0], layers=_count_layers(sd, "vision_model.encoder.layers."),
        heads=vc.get("num_attention_heads", 12),
        intermediate_size=sd["vision_model.encoder.layers.0.mlp.fc1.weight"].shape[0],
        act=vc.get("hidden_act", "quick_gelu"), layer_norm_eps=vc.get("layer_norm_eps", 1e-5))
    tok = sd["text_model.embeddings.token_embedding.weight"]
    text = mc.TextConfig(
        vocab_size=tok.shape[0], context_length=sd["text_model.embeddings.position_embedding.weight"].shape[0],
        width=tok.shape[1], layers=_count_layers(sd, "text_model.encoder.layers."),
        heads=tc.get("num_attention_heads", 8),
        intermediate_size=sd["text_model.encoder.layers.0.mlp.fc1.weight"].shape[0],
        act=tc.get("hidden_act", "quick_gelu"), layer_norm_eps=tc.get("layer_norm_eps", 1e-5), causal=True,
        # HF: eos_token_id == 2 is the legacy config value -> argmax(input_ids); otherwise the first EOS id
        pooling="argmax" if eos == 2 else "eos_id", eos_token_id=eos)
    return mc.ClipConfig(embedding_dim=sd["visual_projection.weight"].shape[0], vision=vision, text=text)


def model_from_hf(hf_dir: str) -> Tuple[mc.ClipModel, dict]:
    with open(os.path.join(hf_dir, "config.json")) as f:
        cfg = json.load(f)
    sd = {k: v.float() if v.is_floating_point() else v for k, v in load_hf_state_dict(hf_dir).items()}
    config = config_from_hf(cfg, sd)
    model = mc.ClipModel(config)
    mapped = {}
    for k, v in sd.items():
        m = map_hf_key(k)
        if m is not None:
            mapped[m] = v
    model.load_state_dict(mapped, strict=True)
    return model.eval(), cfg


# ------------------------------------------------------------------------------------------------- manifest pieces

def image_spec_from_preprocessor(pp: dict) -> dict:
    size, crop = pp.get("size", 224), pp.get("crop_size", 224)
    if isinstance(size, dict):
        if "shortest_edge" in size:
            resize, resize_size = "shortest_edge", size["shortest_edge"]
        elif size.get("height") == size.get("width") and "height" in size:
            resize, resize_size = "exact", size["height"]
        else:
            raise ValueError(f"unsupported size {size}")
    else:
        resize, resize_size = "shortest_edge", int(size)
    if isinstance(crop, dict):
        if crop["height"] != crop["width"]:
            raise ValueError("non-square crop_size")
        crop = crop["height"]
    if pp.get("do_resize", True) is False:
        raise ValueError("do_resize false is not supported")
    resample = pp.get("resample", 3)
    if resample not in PIL_RESAMPLE:
        raise ValueError(f"unsupported resample {resample}")
    if pp.get("do_rescale", True) and abs(pp.get("rescale_factor", 1 / 255) - 1 / 255) > 1e-9:
        raise ValueError("rescale_factor other than 1/255")
    do_crop = pp.get("do_center_crop", True)
    if not do_crop and resize != "exact":
        raise ValueError("without a center crop the resize must be exact")
    norm = pp.get("do_normalize", True)
    return {
        "resize": resize, "resize_size": int(resize_size), "interpolation": PIL_RESAMPLE[resample],
        "crop": "center" if do_crop else "none", "crop_rounding": "floor",  # HF image processors: (h - crop) // 2
        "crop_size": int(crop) if do_crop else int(resize_size), "color_mode": "RGB",
        "mean": list(pp.get("image_mean", CLIP_MEAN)) if norm else [0.0, 0.0, 0.0],
        "std": list(pp.get("image_std", CLIP_STD)) if norm else [1.0, 1.0, 1.0],
    }


def token_id(tok_doc: dict, content: str) -> Optional[int]:
    for t in tok_doc.get("added_tokens", []):
        if t["content"] == content:
            return t["id"]
    vocab = tok_doc.get("model", {}).get("vocab")
    return vocab.get(content) if isinstance(vocab, dict) else None


def pad_id_for(hf_dir: str, tok_doc: dict, cfg: dict) -> int:
    """The tokenizer's pad token (special_tokens_map.json / tokenizer_config.json), else <|endoftext|>."""
    for fname in ("special_tokens_map.json", "tokenizer_config.json"):
        p = os.path.join(hf_dir, fname)
        if os.path.exists(p):
            with open(p) as f:
                pad = json.load(f).get("pad_token")
            if isinstance(pad, dict):
                pad = pad.get("content")
            if pad and token_id(tok_doc, pad) is not None:
                return token_id(tok_doc, pad)
    if (tok_doc.get("padding") or {}).get("pad_id") is not None:
        return tok_doc["padding"]["pad_id"]
    eos = token_id(tok_doc, EOS)
    if eos is not None:
        return eos
    tc = cfg.get("text_config") or {}
    if "pad_token_id" in tc:
        return tc["pad_token_id"]
    raise ValueError("cannot determine the pad token id")


def write_bundle(out_dir: str, model: mc.ClipModel, tokenizer_src: Optional[str], tok_doc: Optional[dict],
                 image_spec: dict, pad_id: int, name: str, version: str, license_: str, precision: str,
                 templates: List[str]) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    model_path = os.path.join(out_dir, "model.pt")
    tok_path = os.path.join(out_dir, "tokenizer.json")
    mc.export_torchscript(model, model_path, precision)
    if tokenizer_src:
        shutil.copyfile(tokenizer_src, tok_path)
    else:
        tk.write_tokenizer_json(tok_doc, tok_path)
    manifest = {
        "format": "montage-model/1",
        "name": name,
        "version": version,
        "kind": "clip",
        "embedding_dim": model.config.embedding_dim,
        "normalize": True,
        "logit_scale": round(float(model.logit_scale.detach().float().exp()), 6),
        "precision": precision,
        "license": license_,
        "image": image_spec,
        "text": {"tokenizer": "tokenizer.json", "context_length": model.config.text.context_length, "pad_id": pad_id},
        "torchscript": {"file": "model.pt", "image_method": "encode_image", "text_method": "encode_text"},
        "zero_shot_templates": templates,
        "files": {"model.pt": sha256_file(model_path), "tokenizer.json": sha256_file(tok_path)},
    }
    with open(os.path.join(out_dir, "montage-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def export_hf(hf_dir: str, out_dir: str, name: Optional[str], version: str, precision: str,
              license_: Optional[str], templates: List[str]) -> dict:
    model, cfg = model_from_hf(hf_dir)
    with open(os.path.join(hf_dir, "preprocessor_config.json")) as f:
        image_spec = image_spec_from_preprocessor(json.load(f))
    if image_spec["crop_size"] != model.config.vision.image_size:
        raise ValueError(f"crop_size {image_spec['crop_size']} != model image size {model.config.vision.image_size}")
    tok_src = os.path.join(hf_dir, "tokenizer.json")
    with open(tok_src, encoding="utf-8") as f:
        tok_doc = json.load(f)
    name = name or os.path.basename(os.path.normpath(hf_dir))
    license_ = license_ or f"see the licence of the source checkpoint {name} (exported by export_hf_clip.py)"
    return write_bundle(out_dir, model, tok_src, None, image_spec, pad_id_for(hf_dir, tok_doc, cfg), name, version,
                        license_, precision, templates)


# ----------------------------------------------------------------------------------- synthetic / benchmark material

def clip_like_tokenizer_json(vocab_size: int = 49408) -> dict:
    """WordLevel stand-in for CLIP's BPE tokenizer: same size, <|startoftext|> = vocab-2, <|endoftext|> = vocab-1,
    unknown words -> <|unk|> (a low id, so argmax pooling still finds the EOT), a RobertaProcessing post-processor adding them around every text (as CLIP's does).
    Words: the demo's vocabulary, then tok<N> fillers. Loads in Rust tokenizers; only meant for benchmarks/tests."""
    import train_demo

    words = sorted({w for c in train_demo.all_captions() for w in tk.pre_tokenize(c)}) + [UNK_BENCH]
    vocab: Dict[str, int] = {}
    for w in words:
        vocab[w] = len(vocab)
    i = 0
    while len(vocab) < vocab_size - 2:
        vocab.setdefault(f"tok{i}", len(vocab))
        i += 1
    vocab[BOS] = vocab_size - 2
    vocab[EOS] = vocab_size - 1
    pp = {"type": "RobertaProcessing", "sep": [EOS, vocab[EOS]], "cls": [BOS, vocab[BOS]], "trim_offsets": False,
          "add_prefix_space": False}
    return tk.word_level_tokenizer_json(vocab, unk_token=UNK_BENCH, special_tokens=(UNK_BENCH, BOS, EOS),
                                        post_processor=pp)


def clip_image_spec(size: int = 224) -> dict:
    return {"resize": "shortest_edge", "resize_size": size, "interpolation": "bicubic", "crop": "center",
            "crop_rounding": "floor", "crop_size": size, "color_mode": "RGB", "mean": CLIP_MEAN, "std": CLIP_STD}


def make_random_vit_b32(out_dir: str, precision: str, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    model = mc.random_init_(mc.ClipModel(mc.vit_b32_config()), seed)
    with torch.no_grad():
        model.logit_scale.fill_(math.log(100.0))
    return write_bundle(out_dir, model, None, clip_like_tokenizer_json(), clip_image_spec(),
                        pad_id=49407, name="vit-b32-random", version="0.0.0-bench",
                        license_="random weights, no training data: for throughput benchmarks only",
                        precision=precision, templates=CLIP_TEMPLATES)


def fake_hf_config(tiny: bool) -> dict:
    if tiny:
        vc = dict(hidden_size=64, intermediate_size=128, num_attention_heads=4, num_hidden_layers=2, image_size=64,
                  patch_size=16, num_channels=3)
        tc = dict(hidden_size=48, intermediate_size=96, num_attention_heads=4, num_hidden_layers=2,
                  max_position_embeddings=77, vocab_size=1000)
        proj = 32
    else:
        vc = dict(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
                  image_size=224, patch_size=32, num_channels=3)
        tc = dict(hidden_size=512, intermediate_size=2048, num_attention_heads=8, num_hidden_layers=12,
                  max_position_embeddings=77, vocab_size=49408)
        proj = 512
    vc.update(hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=proj, model_type="clip_vision_model")
    # as in openai/clip-vit-base-patch32's config.json: bos 0, eos 2 (legacy -> argmax pooling), pad 1
    tc.update(hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=proj, bos_token_id=0, eos_token_id=2,
              pad_token_id=1, model_type="clip_text_model")
    return {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": proj,
            "logit_scale_init_value": 2.6592, "text_config": tc, "vision_config": vc, "torch_dtype": "float32"}


def make_fake_hf_checkpoint(out_dir: str, tiny: bool, safetensors: bool, seed: int = 0) -> None:
    """Random weights under HF CLIPModel's key names and shapes, plus the side files an HF checkpoint has."""
    cfg = fake_hf_config(tiny)
    vc, tc, proj = cfg["vision_config"], cfg["text_config"], cfg["projection_dim"]
    g = torch.Generator().manual_seed(seed)

    def r(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    sd: Dict[str, torch.Tensor] = {}

    def layers(prefix: str, w: int, inter: int, n: int):
        for i in range(n):
            p = f"{prefix}.encoder.layers.{i}."
            for proj_name in ("q_proj", "k_proj", "v_proj", "out_proj"):
                sd[p + f"self_attn.{proj_name}.weight"] = r(w, w, std=w ** -0.5)
                sd[p + f"self_attn.{proj_name}.bias"] = r(w)
            for ln in ("layer_norm1", "layer_norm2"):
                sd[p + f"{ln}.weight"] = 1 + r(w, std=0.1)
                sd[p + f"{ln}.bias"] = r(w)
            sd[p + "mlp.fc1.weight"], sd[p + "mlp.fc1.bias"] = r(inter, w, std=w ** -0.5), r(inter)
            sd[p + "mlp.fc2.weight"], sd[p + "mlp.fc2.bias"] = r(w, inter, std=inter ** -0.5), r(w)

    vw, npos = vc["hidden_size"], (vc["image_size"] // vc["patch_size"]) ** 2 + 1
    sd["vision_model.embeddings.class_embedding"] = r(vw, std=vw ** -0.5)
    sd["vision_model.embeddings.patch_embedding.weight"] = r(vw, 3, vc["patch_size"], vc["patch_size"], std=0.05)
    sd["vision_model.embeddings.position_embedding.weight"] = r(npos, vw, std=vw ** -0.5)
    sd["vision_model.embeddings.position_ids"] = torch.arange(npos).unsqueeze(0)
    sd["vision_model.pre_layrnorm.weight"], sd["vision_model.pre_layrnorm.bias"] = 1 + r(vw, std=0.1), r(vw)
    layers("vision_model", vw, vc["intermediate_size"], vc["num_hidden_layers"])
    sd["vision_model.post_layernorm.weight"], sd["vision_model.post_layernorm.bias"] = 1 + r(vw, std=0.1), r(vw)
    tw, ctx = tc["hidden_size"], tc["max_position_embeddings"]
    sd["text_model.embeddings.token_embedding.weight"] = r(tc["vocab_size"], tw)
    sd["text_model.embeddings.position_embedding.weight"] = r(ctx, tw, std=0.01)
    sd["text_model.embeddings.position_ids"] = torch.arange(ctx).unsqueeze(0)
    layers("text_model", tw, tc["intermediate_size"], tc["num_hidden_layers"])
    sd["text_model.final_layer_norm.weight"], sd["text_model.final_layer_norm.bias"] = 1 + r(tw, std=0.1), r(tw)
    sd["visual_projection.weight"] = r(proj, vw, std=vw ** -0.5)
    sd["text_projection.weight"] = r(proj, tw, std=tw ** -0.5)
    sd["logit_scale"] = torch.tensor(cfg["logit_scale_init_value"])

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    if safetensors:
        save_safetensors(sd, os.path.join(out_dir, "model.safetensors"))
    else:
        torch.save(sd, os.path.join(out_dir, "pytorch_model.bin"))
    tk.write_tokenizer_json(clip_like_tokenizer_json(tc["vocab_size"]), os.path.join(out_dir, "tokenizer.json"))
    size = vc["image_size"]
    with open(os.path.join(out_dir, "preprocessor_config.json"), "w") as f:
        json.dump({"crop_size": {"height": size, "width": size}, "do_center_crop": True, "do_convert_rgb": True,
                   "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": CLIP_MEAN,
                   "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD, "resample": 3,
                   "rescale_factor": 1 / 255, "size": {"shortest_edge": size}}, f, indent=2)
    with open(os.path.join(out_dir, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "unk_token": EOS}, f, indent=2)


# ------------------------------------------------------------------------------------- independent HF re-implementation

def hf_reference_forward(sd: Dict[str, torch.Tensor], cfg: dict, pixels: torch.Tensor, input_ids: torch.Tensor,
                         attention_mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Functional transcription of transformers' modeling_clip.CLIPModel.get_image_features / get_text_features,
    reading the HF state dict directly (no montage_clip code)."""
    vc, tc = cfg["vision_config"], cfg["text_config"]

    def ln(x, p, eps):
        return F.layer_norm(x, (x.shape[-1],), sd[p + ".weight"], sd[p + ".bias"], eps)

    def lin(x, p, bias=True):
        return F.linear(x, sd[p + ".weight"], sd[p + ".bias"] if bias else None)

    def encoder(x, prefix, c, mask):
        heads = c["num_attention_heads"]
        for i in range(c["num_hidden_layers"]):
            p = f"{prefix}.encoder.layers.{i}"
            res = x
            h = ln(x, p + ".layer_norm1", c["layer_norm_eps"])
            bsz, tgt, emb = h.shape
            hd = emb // heads
            q = lin(h, p + ".self_attn.q_proj") * hd ** -0.5
            k = lin(h, p + ".self_attn.k_proj")
            v = lin(h, p + ".self_attn.v_proj")
            shape = lambda t: t.view(bsz, tgt, heads, hd).transpose(1, 2).reshape(bsz * heads, tgt, hd)  # noqa
            q, k, v = shape(q), shape(k), shape(v)
            w = torch.bmm(q, k.transpose(1, 2))
            if mask is not None:
                w = (w.view(bsz, heads, tgt, tgt) + mask).view(bsz * heads, tgt, tgt)
            w = torch.softmax(w, dim=-1)
            o = torch.bmm(w, v).view(bsz, heads, tgt, hd).transpose(1, 2).reshape(bsz, tgt, emb)
            x = res + lin(o, p + ".self_attn.out_proj")
            res = x
            h = lin(ln(x, p + ".layer_norm2", c["layer_norm_eps"]), p + ".mlp.fc1")
            h = h * torch.sigmoid(1.702 * h) if c["hidden_act"] == "quick_gelu" else F.gelu(h)
            x = res + lin(h, p + ".mlp.fc2")
        return x

    # vision
    pe = F.conv2d(pixels, sd["vision_model.embeddings.patch_embedding.weight"], stride=vc["patch_size"])
    pe = pe.flatten(2).transpose(1, 2)
    cls = sd["vision_model.embeddings.class_embedding"].expand(pixels.shape[0], 1, -1)
    x = torch.cat([cls, pe], dim=1)
    x = x + sd["vision_model.embeddings.position_embedding.weight"][torch.arange(x.shape[1])]
    x = ln(x, "vision_model.pre_layrnorm", vc["layer_norm_eps"])
    x = encoder(x, "vision_model", vc, None)
    pooled = ln(x[:, 0, :], "vision_model.post_layernorm", vc["layer_norm_eps"])
    image = lin(pooled, "visual_projection", bias=False)

    # text
    bsz, n = input_ids.shape
    x = sd["text_model.embeddings.token_embedding.weight"][input_ids]
    x = x + sd["text_model.embeddings.position_embedding.weight"][torch.arange(n)]
    fmin = torch.finfo(x.dtype).min
    causal = torch.triu(torch.full((n, n), fmin), diagonal=1)[None, None]
    # HF _expand_mask: (1 - mask) with the ones replaced by finfo.min
    inverted = 1.0 - attention_mask[:, None, None, :].to(x.dtype)
    expanded = inverted.masked_fill(inverted.bool(), fmin)
    x = encoder(x, "text_model", tc, causal + expanded)
    x = ln(x, "text_model.final_layer_norm", tc["layer_norm_eps"])
    if tc.get("eos_token_id", 2) == 2:
        idx = input_ids.to(torch.int).argmax(dim=-1)
    else:
        idx = (input_ids.to(torch.int) == tc["eos_token_id"]).int().argmax(dim=-1)
    text = lin(x[torch.arange(bsz), idx], "text_projection", bias=False)
    return image, text


def self_test(full_size: bool, safetensors: bool) -> None:
    tmp = tempfile.mkdtemp(prefix="montage-hf-test-")
    try:
        hf_dir = os.path.join(tmp, "fake-hf-clip")
        make_fake_hf_checkpoint(hf_dir, tiny=not full_size, safetensors=safetensors)
        _check_export(hf_dir, os.path.join(tmp, "bundle-legacy-eos"))  # eos_token_id 2: argmax pooling
        with open(os.path.join(hf_dir, "config.json")) as f:
            cfg = json.load(f)
        cfg["text_config"]["eos_token_id"] = cfg["text_config"]["vocab_size"] - 1  # newer configs: first EOS id
        with open(os.path.join(hf_dir, "config.json"), "w") as f:
            json.dump(cfg, f)
        _check_export(hf_dir, os.path.join(tmp, "bundle-eos-id"))
        print("self-test OK" + (" (full ViT-B/32 size)" if full_size else " (tiny config)")
              + (", safetensors" if safetensors else ", pytorch_model.bin"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _check_export(hf_dir: str, out_dir: str) -> None:
    """Export, load, call both methods, compare with hf_reference_forward."""
    import numpy as np
    from PIL import Image

    import preprocess

    t0 = time.time()
    manifest = export_hf(hf_dir, out_dir, "fake-hf-clip", "0.0.1", "fp32", None, CLIP_TEMPLATES)
    print(f"exported in {time.time() - t0:.1f}s: {json.dumps({k: manifest[k] for k in ('embedding_dim', 'image', 'text', 'logit_scale')})}")
    ts = torch.jit.load(os.path.join(out_dir, "model.pt"))
    methods = ts._c._method_names()
    assert {"forward", "encode_image", "encode_text"} <= set(methods), methods
    for fname, sha in manifest["files"].items():
        assert sha256_file(os.path.join(out_dir, fname)) == sha

    tok = tk.WordLevelTokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
    ctx, pad = manifest["text"]["context_length"], manifest["text"]["pad_id"]
    texts = ["a photo of a sneaker.", "Bag!", "zebra", "a black and white photo of a t-shirt/top " * 12]
    ids, mask = tk.encode_batch(tok, texts, ctx, pad)
    rng = np.random.default_rng(0)
    pix = []
    for w, h in ((300, 200), (180, 260), (224, 224)):
        im = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
        pix.append(preprocess.preprocess_pil(im, manifest["image"]))
    pixels = torch.from_numpy(np.stack(pix))
    with torch.no_grad():
        img, txt = ts.encode_image(pixels), ts.encode_text(ids, mask)
        fwd = ts(pixels)
    d = manifest["embedding_dim"]
    assert img.shape == (3, d) and txt.shape == (4, d) and img.dtype == txt.dtype == torch.float32
    assert torch.equal(img, fwd)

    with open(os.path.join(hf_dir, "config.json")) as f:
        cfg = json.load(f)
    sd = {k: v.float() if v.is_floating_point() else v for k, v in load_hf_state_dict(hf_dir).items()}
    with torch.no_grad():
        ref_img, ref_txt = hf_reference_forward(sd, cfg, pixels, ids, mask)
    ci = F.cosine_similarity(img, ref_img).min().item()
    ct = F.cosine_similarity(txt, ref_txt).min().item()
    di, dt = (img - ref_img).abs().max().item(), (txt - ref_txt).abs().max().item()
    print(f"pooling {'argmax' if cfg['text_config']['eos_token_id'] == 2 else 'eos_id'}: "
          f"TorchScript vs functional HF re-implementation: image min cos {ci:.7f} max|d| {di:.2e}; "
          f"text min cos {ct:.7f} max|d| {dt:.2e}; shapes {tuple(img.shape)} {tuple(txt.shape)}")
    assert ci > 0.99999 and ct > 0.99999


# ------------------------------------------------------------------------------------------------------------- main

def main() -> None:
    mc.reexec_with_fixed_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("hf_dir", nargs="?")
    ap.add_argument("out_dir", nargs="?")
    ap.add_argument("--name")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--license", dest="license_")
    ap.add_argument("--precision", default="fp32", choices=sorted(mc.PRECISIONS))
    ap.add_argument("--templates", help="JSON file with a list of zero-shot templates ({} = label)")
    ap.add_argument("--random-vit-b32", nargs="?", const=DEFAULT_BENCH_DIR, metavar="OUT_DIR")
    ap.add_argument("--make-fake-hf-checkpoint", metavar="DIR")
    ap.add_argument("--tiny", action="store_true", help="with --make-fake-hf-checkpoint: a tiny config")
    ap.add_argument("--safetensors", action="store_true", help="fake checkpoint / self-test: model.safetensors")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--full-size", action="store_true", help="self-test with ViT-B/32 shapes (slow, ~2.5 GB RAM)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.self_test:
        self_test(args.full_size, args.safetensors)
    elif args.make_fake_hf_checkpoint:
        make_fake_hf_checkpoint(args.make_fake_hf_checkpoint, args.tiny, args.safetensors)
        print(f"wrote a synthetic HF CLIPModel checkpoint to {args.make_fake_hf_checkpoint}")
    elif args.random_vit_b32:
        t0 = time.time()
        m = make_random_vit_b32(args.random_vit_b32, args.precision)
        size = os.path.getsize(os.path.join(args.random_vit_b32, "model.pt"))
        print(f"wrote {args.random_vit_b32} ({m['precision']}, model.pt {size / 1e6:.0f} MB) in {time.time() - t0:.0f}s")
    else:
        if not (args.hf_dir and args.out_dir):
            ap.error("HF_DIR and OUT_DIR are required")
        templates = CLIP_TEMPLATES
        if args.templates:
            with open(args.templates) as f:
                templates = json.load(f)
        m = export_hf(args.hf_dir, args.out_dir, args.name, args.version, args.precision, args.license_, templates)
        print(json.dumps(m, indent=2))


if __name__ == "__main__":
    main()
