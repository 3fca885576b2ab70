"""Small pure-PyTorch CLIP-style model library for Montage bundles.

Two variants share one module tree:

* ``mini``    - a small CNN image tower (1x28x28 grey input) and a 2-layer Transformer text tower with masked mean
                pooling; trained on Fashion-MNIST by ``train_demo.py``.
* ``vit_b32`` - the OpenAI CLIP ViT-B/32 architecture (224x224 RGB, patch 32, width 768, 12 layers, 12 heads; text
                width 512, 12 layers, 8 heads, context 77, vocab 49408; embedding 512): pre-LN blocks, class token,
                quick_gelu, causal text mask, pooling at the end-of-text token (argmax of input_ids). Target of
                ``export_hf_clip.py`` and of the random-weight benchmark bundle.

The TorchScript contract (what Montage's Java side calls by name):

* ``encode_image(pixels: float32[B, C, H, W]) -> float32[B, D]``
* ``encode_text(input_ids: int64[B, L], attention_mask: int64[B, L]) -> float32[B, D]``
* ``forward(pixels)`` == ``encode_image(pixels)`` (for loaders that expect a forward)

Outputs are NOT L2-normalised. With ``precision`` bf16/fp16 the weights are cast inside the TorchScript; inputs and
outputs stay float32 / int64 (fp16 needs a GPU: most CPU kernels have no fp16 implementation).

Use /usr/bin/python3 (Debian's torch 1.13).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

# text pooling modes
POOLING = {
    "argmax": "features at argmax(input_ids) (OpenAI CLIP: the EOT token has the largest id; first maximum wins)",
    "eos_id": "features at the first input_ids == eos_token_id (HF CLIP when text_config.eos_token_id != 2)",
    "mean": "mean over the tokens with attention_mask == 1 (mini)",
}

PRECISIONS = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


@dataclass
class VisionConfig:
    kind: str = "vit"  # "vit" | "cnn"
    image_size: int = 224
    channels: int = 3
    # vit
    patch_size: int = 32
    width: int = 768
    layers: int = 12
    heads: int = 12
    intermediate_size: int = 3072
    act: str = "quick_gelu"  # "quick_gelu" | "gelu"
    layer_norm_eps: float = 1e-5
    # cnn: one stage (conv-bn-relu x2, maxpool) per entry
    cnn_channels: List[int] = field(default_factory=lambda: [32, 64, 128])


@dataclass
class TextConfig:
    vocab_size: int = 49408
    context_length: int = 77
    width: int = 512
    layers: int = 12
    heads: int = 8
    intermediate_size: int = 2048
    act: str = "quick_gelu"
    layer_norm_eps: float = 1e-5
    causal: bool = True
    pooling: str = "argmax"  # "argmax" | "eos_id" | "mean"
    eos_token_id: int = 49407


@dataclass
class ClipConfig:
    embedding_dim: int = 512
    vision: VisionConfig = field(default_factory=VisionConfig)
    text: TextConfig = field(default_factory=TextConfig)
    logit_scale_init: float = math.log(1 / 0.07)

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "ClipConfig":
        d = dict(d)
        return ClipConfig(vision=VisionConfig(**d.pop("vision")), text=TextConfig(**d.pop("text")), **d)


def vit_b32_config() -> ClipConfig:
    """OpenAI CLIP ViT-B/32 shapes."""
    return ClipConfig()


def mini_config(vocab_size: int, context_length: int = 16, embedding_dim: int = 128,
                cnn_channels: Sequence[int] = (16, 32, 64)) -> ClipConfig:
    """The Fashion-MNIST demo: CNN on 1x28x28, 2-layer text Transformer with masked mean pooling."""
    return ClipConfig(
        embedding_dim=embedding_dim,
        vision=VisionConfig(kind="cnn", image_size=28, channels=1, cnn_channels=list(cnn_channels)),
        text=TextConfig(vocab_size=vocab_size, context_length=context_length, width=128, layers=2, heads=4,
                        intermediate_size=256, act="gelu", causal=False, pooling="mean", eos_token_id=-1),
    )


CONFIGS = {"vit_b32": vit_b32_config}


# ----------------------------------------------------------------------------------------------------- building blocks

class Mlp(nn.Module):
    def __init__(self, width: int, hidden: int, act: str):
        super().__init__()
        if act not in ("quick_gelu", "gelu"):
            raise ValueError(f"unknown activation {act}")
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)
        self.quick_gelu = act == "quick_gelu"

    def forward(self, x: Tensor) -> Tensor:
        x = self.fc1(x)
        if self.quick_gelu:
            x = x * torch.sigmoid(1.702 * x)
        else:
            x = F.gelu(x)
        return self.fc2(x)


class Attention(nn.Module):
    """Multi-head self-attention with separate q/k/v projections (HF CLIP layout)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        if width % heads:
            raise ValueError("width must be divisible by heads")
        self.heads = heads
        self.head_dim = width // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x: Tensor, mask: Optional[Tensor]) -> Tensor:
        b, n, w = x.shape
        q = (self.q_proj(x) * self.scale).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-2, -1))  # [b, h, n, n]
        if mask is not None:
            scores = scores + mask  # additive [b or 1, 1, n, n]
        attn = torch.softmax(scores, dim=-1)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b, n, w)
        return self.out_proj(out)


class Block(nn.Module):
    """Pre-LN transformer block (CLIP)."""

    def __init__(self, width: int, heads: int, intermediate: int, act: str, eps: float):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width, eps=eps)
        self.self_attn = Attention(width, heads)
        self.layer_norm2 = nn.LayerNorm(width, eps=eps)
        self.mlp = Mlp(width, intermediate, act)

    def forward(self, x: Tensor, mask: Optional[Tensor]) -> Tensor:
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, intermediate: int, act: str, eps: float):
        super().__init__()
        self.layers = nn.ModuleList([Block(width, heads, intermediate, act, eps) for _ in range(layers)])

    def forward(self, x: Tensor, mask: Optional[Tensor]) -> Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        return x


def _mask_value(dtype: torch.dtype) -> float:
    # torch.finfo is not scriptable in 1.13; a large finite value keeps fully masked rows NaN-free.
    if dtype == torch.float16:
        return -65504.0
    return -1e30


# ------------------------------------------------------------------------------------------------------------ towers

class VisionTransformer(nn.Module):
    def __init__(self, c: VisionConfig, embedding_dim: int):
        super().__init__()
        if c.image_size % c.patch_size:
            raise ValueError("image_size must be a multiple of patch_size")
        grid = c.image_size // c.patch_size
        self.patch_embedding = nn.Conv2d(c.channels, c.width, c.patch_size, stride=c.patch_size, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(c.width) * c.width ** -0.5)
        self.position_embedding = nn.Parameter(torch.randn(grid * grid + 1, c.width) * c.width ** -0.5)
        self.pre_layernorm = nn.LayerNorm(c.width, eps=c.layer_norm_eps)
        self.encoder = Encoder(c.width, c.layers, c.heads, c.intermediate_size, c.act, c.layer_norm_eps)
        self.post_layernorm = nn.LayerNorm(c.width, eps=c.layer_norm_eps)
        self.proj = nn.Linear(c.width, embedding_dim, bias=False)

    def forward(self, pixels: Tensor) -> Tensor:
        x = self.patch_embedding(pixels)  # [b, w, g, g]
        x = x.flatten(2).transpose(1, 2)  # [b, g*g, w]
        cls = self.class_embedding.to(x.dtype).view(1, 1, -1).expand(x.shape[0], 1, x.shape[2])
        x = torch.cat([cls, x], dim=1) + self.position_embedding.to(x.dtype)
        x = self.pre_layernorm(x)
        x = self.encoder(x, None)
        return self.proj(self.post_layernorm(x[:, 0, :]))


class ConvTower(nn.Module):
    """Small VGG-style CNN: per stage (conv3x3-BN-ReLU) x2 + maxpool; global average pool; MLP head."""

    def __init__(self, c: VisionConfig, embedding_dim: int):
        super().__init__()
        layers: List[nn.Module] = []
        cin = c.channels
        for cout in c.cnn_channels:
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                       nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                       nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.hidden = nn.Linear(cin, 2 * cin)
        self.proj = nn.Linear(2 * cin, embedding_dim, bias=False)

    def forward(self, pixels: Tensor) -> Tensor:
        x = self.features(pixels)
        x = x.mean(dim=(2, 3))
        return self.proj(F.relu(self.hidden(x)))


class TextTransformer(nn.Module):
    def __init__(self, c: TextConfig, embedding_dim: int):
        super().__init__()
        if c.pooling not in POOLING:
            raise ValueError(f"unknown pooling {c.pooling}")
        self.token_embedding = nn.Embedding(c.vocab_size, c.width)
        self.position_embedding = nn.Parameter(torch.randn(c.context_length, c.width) * 0.01)
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        self.encoder = Encoder(c.width, c.layers, c.heads, c.intermediate_size, c.act, c.layer_norm_eps)
        self.final_layer_norm = nn.LayerNorm(c.width, eps=c.layer_norm_eps)
        self.proj = nn.Linear(c.width, embedding_dim, bias=False)
        self.causal = c.causal
        self.pool_mean = c.pooling == "mean"
        self.pool_argmax = c.pooling == "argmax"
        self.eos_token_id = c.eos_token_id

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        b, n = input_ids.shape
        dtype = self.final_layer_norm.weight.dtype
        x = self.token_embedding(input_ids) + self.position_embedding[:n].to(dtype)
        neg = _mask_value(dtype)
        # padding: keys with attention_mask == 0 are masked for every query
        mask = (1.0 - attention_mask.to(dtype)).view(b, 1, 1, n) * neg
        if self.causal:
            causal = torch.triu(torch.full((n, n), neg, dtype=dtype, device=x.device), diagonal=1)
            mask = mask + causal.view(1, 1, n, n)
        x = self.encoder(x, mask)
        x = self.final_layer_norm(x)
        if self.pool_mean:
            m = attention_mask.to(dtype).unsqueeze(-1)
            pooled = (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        else:
            if self.pool_argmax:
                idx = input_ids.argmax(dim=-1)  # first maximum = the first EOT when padding with EOT
            else:
                idx = (input_ids == self.eos_token_id).to(torch.int32).argmax(dim=-1)
            pooled = x[torch.arange(b, device=x.device), idx]
        return self.proj(pooled)


# ------------------------------------------------------------------------------------------------------------- model

class ClipModel(nn.Module):
    def __init__(self, config: ClipConfig):
        super().__init__()
        self.config = config
        v = config.vision
        if v.kind == "vit":
            self.vision = VisionTransformer(v, config.embedding_dim)
        elif v.kind == "cnn":
            self.vision = ConvTower(v, config.embedding_dim)
        else:
            raise ValueError(f"unknown vision kind {v.kind}")
        self.text = TextTransformer(config.text, config.embedding_dim)
        self.logit_scale = nn.Parameter(torch.tensor(float(config.logit_scale_init)))

    def forward(self, pixels: Tensor) -> Tensor:
        return self.encode_image(pixels)

    @torch.jit.export
    def encode_image(self, pixels: Tensor) -> Tensor:
        dtype = self.vision.proj.weight.dtype
        return self.vision(pixels.to(dtype)).float()

    @torch.jit.export
    def encode_text(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.text(input_ids.long(), attention_mask.long()).float()


def reexec_with_fixed_env() -> None:
    """Call first thing in a script's main; re-executes the interpreter once with

    * ``PYTHONHASHSEED=0``: TorchScript writes some class constants in Python set order; with a fixed hash seed the
      saved model.pt is byte-for-byte reproducible;
    * ``OPENBLAS_NUM_THREADS=1`` (unless set): OpenBLAS's own threads fight torch's OpenMP threads (measured on 2
      cores: a training step 0.17 s with it, 2.1 s without).
    """
    import os
    import sys

    if os.environ.get("PYTHONHASHSEED") != "0" or "OPENBLAS_NUM_THREADS" not in os.environ:
        os.environ["PYTHONHASHSEED"] = "0"
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.execv(sys.executable, [sys.executable] + sys.argv)


def build(config: ClipConfig) -> ClipModel:
    return ClipModel(config)


def random_init_(model: ClipModel, seed: int = 0) -> ClipModel:
    """CLIP-like random init for benchmark models (weights are meaningless; shapes and numerics are realistic)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "logit_scale":
                continue
            if p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) * fan_in ** -0.5)
            elif name.endswith("weight"):  # layer norms
                p.fill_(1.0)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def export_torchscript(model: ClipModel, path: str, precision: str = "fp32") -> torch.jit.ScriptModule:
    """Script the model (both methods exported) and save it. Returns the scripted module."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {sorted(PRECISIONS)}")
    model = model.eval().to(PRECISIONS[precision])
    scripted = torch.jit.script(model)
    missing = {"forward", "encode_image", "encode_text"} - set(scripted._c._method_names())
    if missing:
        raise RuntimeError(f"TorchScript lacks methods {missing}")
    scripted.save(path)
    return scripted


def save_checkpoint(model: ClipModel, path: str, extra: Optional[Dict[str, Any]] = None) -> None:
    torch.save({"config": model.config.to_dict(), "state_dict": model.state_dict(), "extra": extra or {}}, path)


def load_checkpoint(path: str) -> ClipModel:
    ck = torch.load(path, map_location="cpu")
    model = ClipModel(ClipConfig.from_dict(ck["config"]))
    model.load_state_dict(ck["state_dict"])
    return model.eval()


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":  # quick self-check
    torch.manual_seed(0)
    m = ClipModel(mini_config(vocab_size=50)).eval()
    print("mini params", parameter_count(m))
    print(json.dumps(m.config.to_dict())[:200])
