"""Train the ``fashion-clip-mini`` demo bundle: a CLIP-style model on Fashion-MNIST, captions from class names.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread/ /usr/bin/python3 deploy/models/train_demo.py --seed 0

Writes deploy/models/fashion-clip-mini/{montage-model.json, model.pt, tokenizer.json, TRAINING.md}.

Loss: CLIP's symmetric cross-entropy, but with multi-positive (soft) targets: every caption of the same class as an
image is a positive for it (a batch of 256 holds ~25 images per class, and captions repeat), so the target row of an
image is uniform over the same-class captions of the batch, and vice versa.
Zero-shot evaluation on the 10,000 test images: a class's text embedding is the normalised mean of the normalised
embeddings of the templates filled with the class name; an image is assigned the class of highest cosine.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import platform
import random
import struct
import sys
import time
from typing import List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import montage_clip as mc  # noqa: E402
import preprocess  # noqa: E402
import tokenizer as tk  # noqa: E402

DATA_DIR = "/usr/share/datasets/fashion-mnist"

CLASS_NAMES = ["t-shirt/top", "trouser", "pullover", "dress", "coat",
               "sandal", "shirt", "sneaker", "bag", "ankle boot"]
SYNONYMS: List[List[str]] = [
    ["t-shirt/top", "t-shirt", "tee", "top", "tee shirt"],
    ["trouser", "trousers", "pants", "jeans"],
    ["pullover", "sweater", "jumper"],
    ["dress", "gown"],
    ["coat", "jacket", "overcoat"],
    ["sandal", "sandals", "flip flop"],
    ["shirt", "blouse", "button-up shirt"],
    ["sneaker", "sneakers", "trainer", "running shoe"],
    ["bag", "handbag", "purse"],
    ["ankle boot", "boot", "ankle boots"],
]
# one non-canonical name per class: a second zero-shot evaluation, to show the text tower generalises over names
ALT_NAMES = ["tee", "jeans", "sweater", "gown", "jacket", "flip flop", "blouse", "running shoe", "purse", "boot"]
TEMPLATES = [
    "a photo of a {}.",
    "a picture of a {}",
    "{}",
    "a product photo of the {}",
    "an image of a {}",
    "a photo of the {}.",
    "a black and white photo of a {}.",
    "a low resolution photo of a {}.",
]

IMAGE_SPEC = {
    "resize": "shortest_edge", "resize_size": 28, "interpolation": "bicubic", "crop": "center",
    "crop_rounding": "round", "crop_size": 28, "color_mode": "L", "mean": [0.2860], "std": [0.3530],
}
CONTEXT_LENGTH = 16
PAD_ID = 0
LICENSE = ("weights trained by Montage's deploy/models/train_demo.py on Fashion-MNIST "
           "(MIT licence, Zalando Research)")


# --------------------------------------------------------------------------------------------------------------- data

def read_idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    if magic >> 8 != 0x08:  # unsigned byte
        raise ValueError(f"{path}: unexpected IDX magic {magic:#x}")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(split: str) -> Tuple[np.ndarray, np.ndarray]:
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def preprocess_all(images: np.ndarray) -> torch.Tensor:
    """The manifest's preprocessing, through PIL, for every image (28x28 'L': resize/crop are the identity)."""
    out = np.empty((len(images), 1, 28, 28), dtype=np.float32)
    for i, a in enumerate(images):
        out[i] = preprocess.preprocess_pil(Image.fromarray(a, mode="L"), IMAGE_SPEC)
    return torch.from_numpy(out)


def all_captions() -> List[str]:
    return [t.format(s) for syns in SYNONYMS for s in syns for t in TEMPLATES]


# ------------------------------------------------------------------------------------------------------------ helpers

def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def augment(x: torch.Tensor, gen: torch.Generator, background: float, shift: int = 2) -> torch.Tensor:
    """Random horizontal flip and random translation by up to ``shift`` pixels (background-filled)."""
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.view(b, 1, 1, 1), x.flip(-1), x)
    padded = F.pad(x, (shift, shift, shift, shift), value=background)
    offs = torch.randint(0, 2 * shift + 1, (b, 2), generator=gen).tolist()
    h, w = x.shape[2], x.shape[3]
    return torch.stack([padded[i, :, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(offs)])


@torch.no_grad()
def class_text_embeddings(model, tok: tk.WordLevelTokenizer, names: Sequence[str]) -> torch.Tensor:
    """[C, D]: per name, the normalised mean of the normalised template embeddings."""
    out = []
    for name in names:
        ids, mask = tk.encode_batch(tok, [t.format(name) for t in TEMPLATES], CONTEXT_LENGTH, PAD_ID)
        e = F.normalize(model.encode_text(ids, mask), dim=-1).mean(dim=0)
        out.append(F.normalize(e, dim=0))
    return torch.stack(out)


@torch.no_grad()
def zero_shot(model, tok, names, images: torch.Tensor, labels: torch.Tensor, batch: int = 500):
    text = class_text_embeddings(model, tok, names)
    preds = []
    for i in range(0, len(images), batch):
        img = F.normalize(model.encode_image(images[i:i + batch]), dim=-1)
        preds.append((img @ text.T).argmax(dim=-1))
    preds = torch.cat(preds)
    correct = preds == labels
    per_class = [correct[labels == c].float().mean().item() for c in range(len(names))]
    return correct.float().mean().item(), per_class, preds


# ------------------------------------------------------------------------------------------------------------- main

def main() -> None:
    mc.reexec_with_fixed_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--cnn-channels", default="16,32,64", help="image tower: channels per CNN stage")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0,
                    help="use only the first N training images (smoke tests; the small, worse bundle)")
    ap.add_argument("--version", default="1.0.0", help="the manifest's version (a retrained bundle needs a new one)")
    ap.add_argument("--out", default=os.path.join(HERE, "fashion-clip-mini"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    t_start = time.time()

    # tokenizer: vocab from every caption word, [PAD]=0, [UNK]=1
    captions = all_captions()
    vocab = tk.build_vocab(captions + [t.format(n) for n in CLASS_NAMES + ALT_NAMES for t in TEMPLATES])
    tok_doc = tk.word_level_tokenizer_json(vocab)
    tok = tk.WordLevelTokenizer(tok_doc)
    assert tok.encode("[PAD]") == [PAD_ID] and vocab["[UNK]"] == 1
    longest = max(len(tok.encode(c)) for c in captions)
    assert longest <= CONTEXT_LENGTH, longest
    print(f"vocab {len(vocab)} words, {len(captions)} captions, longest {longest} tokens", flush=True)

    # captions as a [10, K] table of token rows (K = max synonyms x templates; shorter classes wrap around)
    per_class = [[t.format(s) for s in syns for t in TEMPLATES] for syns in SYNONYMS]
    k = max(len(c) for c in per_class)
    cap_ids, cap_mask = [], []
    for caps in per_class:
        ids, mask = tk.encode_batch(tok, [caps[j % len(caps)] for j in range(k)], CONTEXT_LENGTH, PAD_ID)
        cap_ids.append(ids)
        cap_mask.append(mask)
    cap_ids, cap_mask = torch.stack(cap_ids), torch.stack(cap_mask)  # [10, k, L]
    cap_count = torch.tensor([len(c) for c in per_class])

    t0 = time.time()
    train_np, train_y = load_split("train")
    test_np, test_y = load_split("test")
    if args.limit:
        train_np, train_y = train_np[:args.limit], train_y[:args.limit]
    train_x, test_x = preprocess_all(train_np), preprocess_all(test_np)
    train_y, test_y = torch.from_numpy(train_y), torch.from_numpy(test_y)
    print(f"data: {len(train_x)} train / {len(test_x)} test, preprocessed in {time.time() - t0:.1f}s", flush=True)
    background = (0.0 - IMAGE_SPEC["mean"][0]) / IMAGE_SPEC["std"][0]

    model = mc.ClipModel(mc.mini_config(vocab_size=len(vocab), context_length=CONTEXT_LENGTH,
                                        cnn_channels=[int(c) for c in args.cnn_channels.split(",")]))
    print(f"model: {mc.parameter_count(model):,} parameters", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = len(train_x) // args.batch_size
    total = steps_per_epoch * args.epochs
    warmup = min(200, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (total - warmup))))
    gen = torch.Generator().manual_seed(args.seed)

    t_train = time.time()
    step = 0
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(train_x), generator=gen)
        running, n = 0.0, 0
        for b in range(steps_per_epoch):
            idx = perm[b * args.batch_size:(b + 1) * args.batch_size]
            y = train_y[idx]
            x = augment(train_x[idx], gen, background)
            j = (torch.rand(len(idx), generator=gen) * cap_count[y]).long()  # a random caption of each image's class
            ids, mask = cap_ids[y, j], cap_mask[y, j]
            img = F.normalize(model.encode_image(x), dim=-1)
            txt = F.normalize(model.encode_text(ids, mask), dim=-1)
            logits = model.logit_scale.exp() * img @ txt.T
            same = (y.view(-1, 1) == y.view(1, -1)).float()
            target = same / same.sum(dim=1, keepdim=True)  # symmetric: same.T == same
            loss = 0.5 * (torch.sum(-target * F.log_softmax(logits, dim=1), dim=1).mean()
                          + torch.sum(-target * F.log_softmax(logits.T, dim=1), dim=1).mean())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, math.log(100))
            running += loss.item()
            n += 1
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{total} loss {running / n:.4f} "
                      f"scale {model.logit_scale.exp().item():.2f} {time.time() - t_train:.0f}s", flush=True)
        model.eval()
        acc, _, _ = zero_shot(model, tok, CLASS_NAMES, test_x, test_y)
        print(f"== epoch {epoch + 1}: loss {running / max(n, 1):.4f}, zero-shot test accuracy {acc:.4f}, "
              f"{time.time() - t_train:.0f}s", flush=True)
    train_seconds = time.time() - t_train

    # ---- bundle
    os.makedirs(args.out, exist_ok=True)
    model.eval()
    model_path = os.path.join(args.out, "model.pt")
    tok_path = os.path.join(args.out, "tokenizer.json")
    mc.export_torchscript(model, model_path, "fp32")
    tk.write_tokenizer_json(tok_doc, tok_path)

    # evaluate the artifact itself: the saved TorchScript and the saved tokenizer.json
    ts = torch.jit.load(model_path)
    tok_file = tk.WordLevelTokenizer.from_file(tok_path)
    acc, per_cls, preds = zero_shot(ts, tok_file, CLASS_NAMES, test_x, test_y)
    alt_acc, alt_per_cls, _ = zero_shot(ts, tok_file, ALT_NAMES, test_x, test_y)
    with torch.no_grad():
        d = (ts.encode_image(test_x[:64]) - model.encode_image(test_x[:64])).abs().max().item()
    print(f"TorchScript vs eager max abs diff {d:.2e}")
    logit_scale = float(model.logit_scale.exp().item())

    manifest = {
        "format": "montage-model/1",
        "name": "fashion-clip-mini",
        "version": args.version,
        "kind": "clip",
        "embedding_dim": model.config.embedding_dim,
        "normalize": True,
        "logit_scale": round(logit_scale, 6),
        "precision": "fp32",
        "license": LICENSE,
        "image": IMAGE_SPEC,
        "text": {"tokenizer": "tokenizer.json", "context_length": CONTEXT_LENGTH, "pad_id": PAD_ID},
        "torchscript": {"file": "model.pt", "image_method": "encode_image", "text_method": "encode_text"},
        "zero_shot_templates": TEMPLATES,
        "files": {"model.pt": sha256_file(model_path), "tokenizer.json": sha256_file(tok_path)},
    }
    with open(os.path.join(args.out, "montage-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    confusion = np.zeros((10, 10), dtype=np.int64)
    for t, p in zip(test_y.tolist(), preds.tolist()):
        confusion[t, p] += 1
    write_training_md(args, acc, per_cls, alt_acc, alt_per_cls, confusion, train_seconds,
                      time.time() - t_start, logit_scale, mc.parameter_count(model), len(vocab),
                      os.path.getsize(model_path))
    print(f"zero-shot test accuracy {acc:.4f} (alt names {alt_acc:.4f}); per class "
          + ", ".join(f"{n} {a:.3f}" for n, a in zip(CLASS_NAMES, per_cls)))
    print(f"training {train_seconds:.0f}s, total {time.time() - t_start:.0f}s; wrote {args.out}")


def machine_description(threads: int) -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    blas = "OpenBLAS (LD_LIBRARY_PATH)" if "openblas" in os.environ.get("LD_LIBRARY_PATH", "") else "reference BLAS"
    return (f"{cpu}, {os.cpu_count()} cores visible, torch.set_num_threads({threads}), torch {torch.__version__} "
            f"(Debian), {blas}, Python {platform.python_version()}")


def write_training_md(args, acc, per_cls, alt_acc, alt_per_cls, confusion, train_seconds, total_seconds,
                      logit_scale, params, vocab_size, model_bytes) -> None:
    cmd = ("LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread/ /usr/bin/python3 "
           "deploy/models/train_demo.py " + " ".join(sys.argv[1:])).rstrip()
    lines = [
        f"# {os.path.basename(os.path.normpath(args.out))}: how these weights were made",
        "",
        "```",
        cmd,
        "```",
        "",
        f"- seed: {args.seed} (random, numpy, torch; `torch.use_deterministic_algorithms(True)`)",
        f"- epochs {args.epochs}, batch {args.batch_size}, AdamW lr {args.lr} (warm-up + cosine), weight decay "
        f"{args.weight_decay}; augmentation: horizontal flip, shift up to 2 px",
        "- loss: symmetric CLIP cross-entropy with multi-positive targets (all same-class captions in the batch)",
        f"- data: Fashion-MNIST train split ({'first ' + str(args.limit) if args.limit else 'all 60,000'} images), "
        "captions = template x class synonym (see train_demo.py)",
        f"- model: {params:,} parameters (CNN image tower, 2-layer Transformer text tower, mean pooling), "
        f"embedding 128, vocab {vocab_size}, model.pt {model_bytes / 1e6:.2f} MB",
        f"- learned logit scale exp(logit_scale) = {logit_scale:.4f}",
        f"- training time: {train_seconds:.0f} s (whole script incl. data loading, evaluation, export: "
        f"{total_seconds:.0f} s)",
        f"- machine: {machine_description(args.threads)}",
        "",
        "## Zero-shot accuracy on the Fashion-MNIST test split (10,000 images, never trained on)",
        "",
        "Class text embedding = normalised mean of the normalised embeddings of the manifest's "
        "`zero_shot_templates` filled with the label; prediction = highest cosine. Measured on the saved "
        "`model.pt` + `tokenizer.json`.",
        "",
        f"**Overall: {acc * 100:.2f} %** with the canonical labels; {alt_acc * 100:.2f} % with alternative labels "
        f"({', '.join(ALT_NAMES)}).",
        "",
        "| class | label | accuracy | with alternative label |",
        "|---|---|---|---|",
    ]
    for c, (n, a, alt, an) in enumerate(zip(CLASS_NAMES, per_cls, alt_per_cls, ALT_NAMES)):
        lines.append(f"| {c} | {n} | {a * 100:.1f} % | {alt * 100:.1f} % ({an}) |")
    lines += ["", "Confusion matrix (rows = true class, columns = predicted):", "", "```"]
    lines.append("     " + " ".join(f"{c:>5d}" for c in range(10)))
    for r in range(10):
        lines.append(f"{r:>4d} " + " ".join(f"{v:>5d}" for v in confusion[r]))
    lines += ["```", ""]
    with open(os.path.join(args.out, "TRAINING.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
