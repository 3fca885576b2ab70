"""Reference data the Java side reproduces (cosine >= 0.9999), from the bundle's own files.

    /usr/bin/python3 deploy/models/make_reference.py

Writes
* deploy/models/fashion-clip-mini/reference/images/       the test images (Tux Paint photos, a JPEG, an EXIF-rotated
                                                          JPEG, 10 Fashion-MNIST test images)
* deploy/models/fashion-clip-mini/reference/preprocessed/ each image after convert/resize/crop (uint8 PNG, before
                                                          /255 and mean/std): pixel-exact target for Java's resize
* deploy/models/fashion-clip-mini/reference/embeddings.json

Embeddings come from the bundle's model.pt (TorchScript) and tokenizer.json, preprocessing from the manifest's
``image`` section via preprocess.py. Tux Paint stamps come from Debian's ``tuxpaint-stamps-default`` (GPL-2):
``--stamps DIR`` (its usr/share/tuxpaint/stamps), else ``apt-get download`` + ``dpkg-deb -x`` into a temp dir; if the
copies already exist in reference/images they are reused (``--refresh-images`` to copy again).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import montage_clip as mc  # noqa: E402
import preprocess  # noqa: E402
import tokenizer as tk  # noqa: E402
import train_demo  # noqa: E402

# file name in reference/images -> path under usr/share/tuxpaint/stamps
STAMPS = {
    "tuxpaint_tiger_rgba.png": "animals/mammals/cats/tiger.png",  # RGBA 198x120
    "tuxpaint_owl_rgba.png": "animals/birds/owl.png",  # RGBA 187x199
    "tuxpaint_truck_rgba.png": "vehicles/auto/truck.png",  # RGBA 256x88 (wide)
    "tuxpaint_lemon_rgba.png": "food/fruit/lemon.png",  # RGBA 120x79
    "tuxpaint_tshirt_la.png": "clothes/t_tshirt.png",  # LA (grey + alpha) 161x131, line drawing
    "tuxpaint_pants_palette.png": "clothes/t_pants.png",  # P (palette + tRNS) 237x398, line drawing
}
JPEG_Q90 = ("tuxpaint_dog_q90.jpg", "animals/mammals/dogs/dog.png")  # RGB over white, quality 90, 4:2:0
JPEG_EXIF = ("tuxpaint_tiger_exif6.jpg", "animals/mammals/cats/tiger.png")  # stored rotated, Orientation = 6
EXIF_ORIENTATION = 0x0112

TEXTS = [
    "a photo of a ankle boot.",
    "sneaker",
    "Bag!",
    "zebra",  # out of vocabulary -> [UNK]
    "A Product Photo of the T-Shirt/Top",
    "  Running   SHOE\tand\njeans ",
    "[UNK] tee [PAD]",  # added (special) tokens are matched verbatim in the raw text
    "Café-style purse",  # non-ASCII word -> [UNK]; '-' is its own token
    "a black and white photo of a button-up shirt next to a pair of jeans and a tee shirt on a sunny day",
]


def get_stamps_dir(arg: Optional[str]) -> str:
    if arg:
        return arg
    tmp = tempfile.mkdtemp(prefix="tuxpaint-")
    subprocess.run(["apt-get", "download", "tuxpaint-stamps-default"], cwd=tmp, check=True)
    deb = glob.glob(os.path.join(tmp, "tuxpaint-stamps-default_*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
    return os.path.join(tmp, "x/usr/share/tuxpaint/stamps")


def on_white(path: str) -> Image.Image:
    im = Image.open(path).convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return Image.alpha_composite(bg, im).convert("RGB")


def write_images(images_dir: str, stamps: str, fmnist_images, fmnist_labels) -> None:
    os.makedirs(images_dir, exist_ok=True)
    for name, rel in STAMPS.items():
        shutil.copyfile(os.path.join(stamps, rel), os.path.join(images_dir, name))
    name, rel = JPEG_Q90
    on_white(os.path.join(stamps, rel)).save(os.path.join(images_dir, name), "JPEG", quality=90)
    # EXIF: orientation 6 = "the stored pixels must be rotated 90 degrees clockwise for display". Store the upright
    # picture rotated 90 degrees counter-clockwise (PIL ROTATE_90), so that display orientation is upright.
    name, rel = JPEG_EXIF
    upright = on_white(os.path.join(stamps, rel))
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    stored.save(os.path.join(images_dir, name), "JPEG", quality=90, subsampling=0, exif=exif.tobytes())
    check = ImageOps.exif_transpose(Image.open(os.path.join(images_dir, name)))
    assert check.size == upright.size, (check.size, upright.size)
    # Fashion-MNIST: the first test image of every class
    for c, cname in enumerate(train_demo.CLASS_NAMES):
        i = int(np.nonzero(fmnist_labels == c)[0][0])
        slug = cname.replace("/", "-").replace(" ", "-")
        Image.fromarray(fmnist_images[i], mode="L").save(
            os.path.join(images_dir, f"fmnist_test{i:05d}_label{c}_{slug}.png"))


def floats(t) -> List[float]:
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def main() -> None:
    mc.reexec_with_fixed_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=os.path.join(HERE, "fashion-clip-mini"))
    ap.add_argument("--stamps", help="usr/share/tuxpaint/stamps of an extracted tuxpaint-stamps-default")
    ap.add_argument("--refresh-images", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)

    with open(os.path.join(args.bundle, "montage-model.json")) as f:
        manifest = json.load(f)
    spec, text_spec = manifest["image"], manifest["text"]
    for fname, sha in manifest["files"].items():
        assert train_demo.sha256_file(os.path.join(args.bundle, fname)) == sha, f"{fname}: sha256 mismatch"
    model = torch.jit.load(os.path.join(args.bundle, manifest["torchscript"]["file"])).eval()
    encode_image = getattr(model, manifest["torchscript"]["image_method"])
    encode_text = getattr(model, manifest["torchscript"]["text_method"])
    tok = tk.WordLevelTokenizer.from_file(os.path.join(args.bundle, text_spec["tokenizer"]))
    ctx, pad = text_spec["context_length"], text_spec["pad_id"]

    ref = os.path.join(args.bundle, "reference")
    images_dir = os.path.join(ref, "images")
    pre_dir = os.path.join(ref, "preprocessed")
    fm_x, fm_y = train_demo.load_split("test")
    stamps = None
    need = list(STAMPS) + [JPEG_Q90[0], JPEG_EXIF[0]]
    if args.refresh_images or not all(os.path.exists(os.path.join(images_dir, n)) for n in need):
        stamps = get_stamps_dir(args.stamps)
        if os.path.isdir(images_dir):
            shutil.rmtree(images_dir)
        write_images(images_dir, stamps, fm_x, fm_y)
    if os.path.isdir(pre_dir):
        shutil.rmtree(pre_dir)
    os.makedirs(pre_dir)

    # zero-shot label embeddings, the way Montage does it (see train_demo.class_text_embeddings)
    labels = train_demo.CLASS_NAMES
    with torch.no_grad():
        label_emb = []
        for name in labels:
            ids, mask = tk.encode_batch(tok, [t.format(name) for t in manifest["zero_shot_templates"]], ctx, pad)
            e = F.normalize(encode_text(ids, mask), dim=-1).mean(dim=0)
            label_emb.append(F.normalize(e, dim=0))
        label_emb = torch.stack(label_emb)

    images = []
    for fname in sorted(os.listdir(images_dir)):
        path = os.path.join(images_dir, fname)
        with Image.open(path) as raw:
            stored_mode, stored_size = raw.mode, raw.size
            orientation = raw.getexif().get(EXIF_ORIENTATION)
            fmt = raw.format
        upright = ImageOps.exif_transpose(Image.open(path))
        converted = upright.convert(spec["color_mode"])
        resized_size = preprocess.resize_size_for(converted.width, converted.height, spec)
        cropped = preprocess.resize_and_crop(converted, spec)
        x = preprocess.to_tensor(cropped, spec)
        assert np.array_equal(x, preprocess.preprocess_file(path, spec))
        cropped.save(os.path.join(pre_dir, os.path.splitext(fname)[0] + ".png"))
        with torch.no_grad():
            emb = encode_image(torch.from_numpy(x)[None])[0]
        cos = F.normalize(emb, dim=0) @ label_emb.T
        probs = torch.softmax(manifest["logit_scale"] * cos, dim=0)
        entry: Dict = {
            "file": f"images/{fname}",
            "format": fmt,
            "stored_mode": stored_mode,
            "stored_size": list(stored_size),
            "exif_orientation": orientation,
            "displayed_size": list(upright.size),
            "converted_mode": converted.mode,
            "converted_uint8_sum": int(np.asarray(converted, dtype=np.int64).sum()),
            "resized_size": list(resized_size),
            "preprocessed_png": f"preprocessed/{os.path.splitext(fname)[0]}.png",
            "input_shape": list(x.shape),
            "input_sum": float(x.astype(np.float64).sum()),
            "input_first8": floats(x.reshape(-1)[:8]),
            "embedding": floats(emb),
            "zero_shot": {"label": labels[int(probs.argmax())], "probs": floats(probs)},
        }
        if fname.startswith("fmnist_"):
            entry["true_label"] = labels[int(fname.split("_label")[1][0])]
        images.append(entry)

    texts = []
    for t in TEXTS:
        raw_ids = tok.encode(t)
        ids, mask = tk.pad_and_truncate(tok.encode(t, max_length=ctx), ctx, pad)
        with torch.no_grad():
            emb = encode_text(torch.tensor([ids]), torch.tensor([mask]))[0]
        texts.append({"text": t, "tokens": tok.tokens(t), "untruncated_ids": raw_ids, "input_ids": ids,
                      "attention_mask": mask, "embedding": floats(emb)})

    # batching must not change results: whole batches through the model
    with torch.no_grad():
        ids, mask = tk.encode_batch(tok, TEXTS, ctx, pad)
        batch_emb = encode_text(ids, mask)
        for i, t in enumerate(texts):
            assert F.cosine_similarity(batch_emb[i], torch.tensor(t["embedding"]), dim=0) > 0.99999

    doc = {
        "about": "Reference outputs of fashion-clip-mini for Montage's Java side; assert cosine >= 0.9999. "
                 "Inputs: manifest image spec via deploy/models/preprocess.py (PIL), tokenizer.json via "
                 "deploy/models/tokenizer.py (truncate to context_length, then pad with pad_id). Embeddings are "
                 "unnormalised. zero_shot: labels' text embeddings = normalised mean of the normalised template "
                 "embeddings; probs = softmax(logit_scale * cosine).",
        "generated_by": "deploy/models/make_reference.py",
        "model": {"name": manifest["name"], "version": manifest["version"], "files": manifest["files"]},
        "torch": torch.__version__,
        "pil": PIL.__version__,
        "cosine_min": 0.9999,
        "zero_shot_labels": labels,
        "images": images,
        "texts": texts,
    }
    with open(os.path.join(ref, "embeddings.json"), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(images)} images and {len(texts)} texts to {ref}")
    for e in images:
        print(f"  {e['file']:<48} {e['stored_mode']:>4} {str(e['displayed_size']):>11} -> {e['zero_shot']['label']}"
              + (f" (true {e['true_label']})" if "true_label" in e else ""))

    write_zero_shot_accuracy(model, tok, labels, fm_x, fm_y, os.path.join(ref, "zero_shot_accuracy.json"))


def write_zero_shot_accuracy(model, tok, labels, fm_x, fm_y, path: str) -> None:
    """The saved model's zero-shot accuracy on the whole test split: what the Java serving path must reproduce."""
    acc, per_class, _ = train_demo.zero_shot(model, tok, labels, train_demo.preprocess_all(fm_x),
                                             torch.as_tensor(fm_y, dtype=torch.long))
    with open(path, "w") as f:
        json.dump({"about": "zero-shot top-1 accuracy of the saved model.pt on the Fashion-MNIST test split; "
                            "label embedding = normalised mean over the manifest's zero_shot_templates",
                   "generated_by": "deploy/models/make_reference.py", "images": int(len(fm_y)),
                   "labels": labels, "accuracy": round(acc, 6),
                   "per_class": [round(a, 6) for a in per_class]}, f, indent=1)
        f.write("\n")
    print(f"zero-shot accuracy of the saved model on {len(fm_y)} test images: {acc:.4f}")


if __name__ == "__main__":
    main()
