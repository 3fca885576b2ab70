"""TorchScript bundle -> ONNX bundle of the same weights, served by the worker's OnnxRuntime engine.

    /usr/bin/python3 deploy/models/export_onnx.py deploy/models/fashion-clip-mini deploy/models/fashion-clip-mini-onnx
    /usr/bin/python3 deploy/models/export_onnx.py deploy/models/tuxpaint-fused-mini deploy/models/tuxpaint-fused-mini-onnx
    /usr/bin/python3 deploy/models/export_onnx.py deploy/models/build/vit-b32-random deploy/models/build/vit-b32-random-onnx

One graph per entry point, each with a dynamic batch axis: a clip bundle gets ``image.onnx`` (``pixels`` ->
``embeddings``) and ``text.onnx`` (``input_ids``, ``attention_mask`` -> ``embeddings``), a fused bundle
``predict.onnx`` (``pixels``, ``input_ids``, ``attention_mask`` -> ``probabilities``). The manifest is the source's
with ``engine`` "onnxruntime", an ``onnx`` section naming the graphs instead of ``torchscript``, the version
suffixed ``-onnx`` and the files' sha256; the tokenizer is copied.

Why the model is rebuilt: ``torch.onnx.export`` traces Python modules and cannot trace a loaded TorchScript's
methods, so the exporter builds the architecture the bundle's trainer used (``montage_clip.ClipModel`` or
``train_fused.FusedClassifier``), loads the TorchScript's own state dict into it (strict: every tensor, nothing
else) and checks that the rebuilt model answers exactly what the TorchScript answers before exporting it. The
exported graphs are byte-reproducible: the same bundle exports to the same files.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
from typing import Dict, List, Tuple

import torch
from torch import Tensor, nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import montage_clip as mc  # noqa: E402
from train_demo import sha256_file  # noqa: E402

OPSET = 17  # LayerNormalization is an ONNX op from 17 on; torch 1.13 exports up to 17
ENGINE = "onnxruntime"
BATCH = {0: "batch"}


class _Method(nn.Module):
    """One entry point of a model as the ``forward`` that ``torch.onnx.export`` traces."""

    def __init__(self, model: nn.Module, method: str):
        super().__init__()
        self.model = model
        self.method = method

    def forward(self, *inputs: Tensor) -> Tensor:
        return getattr(self.model, self.method)(*inputs)


def rebuild(manifest: dict, state: Dict[str, Tensor]) -> nn.Module:
    """The trainer's architecture for this bundle, holding exactly the TorchScript's tensors."""
    if manifest["kind"] == "fused":
        from train_fused import FusedClassifier
        model: nn.Module = FusedClassifier(vocab_size=state["text.token_embedding.weight"].shape[0],
                                           classes=len(manifest["output"]["labels"]))
    elif "vision.patch_embedding.weight" in state:
        model = mc.ClipModel(mc.vit_b32_config())
    else:
        channels = [state[k].shape[0] for k in sorted(
            (k for k in state if k.startswith("vision.features.") and k.endswith(".weight") and state[k].dim() == 4),
            key=lambda k: int(k.split(".")[2]))][::2]  # two convolutions per stage
        model = mc.ClipModel(mc.mini_config(vocab_size=state["text.token_embedding.weight"].shape[0],
                                            context_length=manifest["text"]["context_length"],
                                            embedding_dim=manifest["embedding_dim"], cnn_channels=channels))
    model.load_state_dict(state, strict=True)
    return model.eval()


def sample_inputs(manifest: dict, rows: int = 3) -> Tuple[Tensor, Tensor, Tensor]:
    """Seeded inputs of the bundle's shapes; rows of different lengths, so padding is exercised."""
    g = torch.Generator().manual_seed(0)
    image, text = manifest["image"], manifest["text"]
    channels = 1 if image["color_mode"] == "L" else 3
    pixels = torch.randn(rows, channels, image["crop_size"], image["crop_size"], generator=g)
    length = text["context_length"]
    with open(os.path.join(manifest["_dir"], text["tokenizer"])) as f:
        vocab = len(json.load(f)["model"]["vocab"])
    ids = torch.randint(2, vocab, (rows, length), generator=g)
    mask = torch.ones(rows, length, dtype=torch.long)
    for r in range(rows):
        used = max(1, length - 3 * r)
        ids[r, used:] = text["pad_id"]
        mask[r, used:] = 0
    return pixels, ids, mask


def entry_points(manifest: dict) -> List[Tuple[str, str, str, List[str], str]]:
    """(manifest key, file, TorchScript method, input names, output name) per graph."""
    ts = manifest["torchscript"]
    if manifest["kind"] == "fused":
        return [("predict", "predict.onnx", ts["predict_method"], ["pixels", "input_ids", "attention_mask"],
                 "probabilities")]
    return [("image", "image.onnx", ts["image_method"], ["pixels"], "embeddings"),
            ("text", "text.onnx", ts["text_method"], ["input_ids", "attention_mask"], "embeddings")]


def inputs_for(names: List[str], pixels: Tensor, ids: Tensor, mask: Tensor) -> Tuple[Tensor, ...]:
    by_name = {"pixels": pixels, "input_ids": ids, "attention_mask": mask}
    return tuple(by_name[n] for n in names)


def export(src: str, out: str) -> dict:
    with open(os.path.join(src, "montage-model.json")) as f:
        manifest = json.load(f)
    if manifest.get("engine", "pytorch") != "pytorch":
        raise SystemExit(f"{src} is not a TorchScript bundle")
    manifest["_dir"] = src
    scripted = torch.jit.load(os.path.join(src, manifest["torchscript"]["file"]), map_location="cpu").eval()
    model = rebuild(manifest, dict(scripted.state_dict()))
    pixels, ids, mask = sample_inputs(manifest)
    os.makedirs(out, exist_ok=True)
    onnx_section, files = {}, {}
    for key, file, method, names, output in entry_points(manifest):
        args = inputs_for(names, pixels, ids, mask)
        with torch.no_grad():
            expected = getattr(scripted, method)(*args)
            rebuilt = getattr(model, method)(*args)
        if not torch.equal(expected, rebuilt):
            raise SystemExit(f"the rebuilt model's {method} differs from the TorchScript's (max abs "
                             f"{(expected - rebuilt).abs().max().item():.3g}): not the trainer's architecture")
        buffer = io.BytesIO()
        torch.onnx.export(_Method(model, method), args, buffer, input_names=names, output_names=[output],
                          dynamic_axes={n: BATCH for n in names + [output]}, opset_version=OPSET,
                          do_constant_folding=True)
        path = os.path.join(out, file)
        with open(path, "wb") as f:
            f.write(buffer.getvalue())
        check_graph(path, names, output)
        onnx_section[key] = file
        files[file] = sha256_file(path)
    tokenizer = manifest["text"]["tokenizer"]
    shutil.copyfile(os.path.join(src, tokenizer), os.path.join(out, tokenizer))
    files[tokenizer] = sha256_file(os.path.join(out, tokenizer))
    del manifest["_dir"], manifest["torchscript"]
    manifest["version"] = manifest["version"] + "-onnx"
    manifest["engine"] = ENGINE
    manifest["onnx"] = onnx_section
    manifest["files"] = files
    with open(os.path.join(out, "montage-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def check_graph(path: str, inputs: List[str], output: str) -> None:
    """python3-onnx's checker, and the names and the dynamic batch axis the worker relies on."""
    import onnx

    graph = onnx.load(path)
    onnx.checker.check_model(graph, full_check=True)
    if [i.name for i in graph.graph.input] != inputs or [o.name for o in graph.graph.output] != [output]:
        raise SystemExit(f"{path}: unexpected inputs or outputs")
    for value in list(graph.graph.input) + list(graph.graph.output):
        if value.type.tensor_type.shape.dim[0].dim_param != "batch":
            raise SystemExit(f"{path}: {value.name} has no dynamic batch axis")


def main() -> None:
    mc.reexec_with_fixed_env()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", help="a TorchScript bundle directory")
    ap.add_argument("out", help="the ONNX bundle directory to write")
    args = ap.parse_args()
    torch.set_num_threads(1)
    manifest = export(args.src, args.out)
    print(json.dumps({"name": manifest["name"], "version": manifest["version"], "files": manifest["files"]},
                     indent=2))


if __name__ == "__main__":
    main()
