#!/usr/bin/python3
"""Regenerates the test images and the PIL references that io.montage.worker.images tests compare against.

Run it with Debian 12's Pillow 9.4 (apt-get install python3-pil python3-numpy; /usr/bin/python3, not a pyenv
python), from any folder:

    apt-get download tuxpaint-stamps-default && dpkg-deb -x tuxpaint-stamps-default_*.deb /tmp/tux
    /usr/bin/python3 make_pil_references.py /tmp/tux/usr/share/tuxpaint/stamps

The photos are Tux Paint stamps (GPL-2): crow, drake (RGBA, with RGB values stored under transparent pixels),
flower1 (a palette PNG with a transparent index) and rooster (saved here as a grey L image). Everything else is
derived from them: a JPEG, small versions to upscale, the other formats (BMP, two-frame GIF, WebP lossless and
lossy, grey+alpha and 1-bit PNG, 16-bit PNGs, a CMYK JPEG), JPEGs with each EXIF orientation, and a JPEG and a
WebP with an embedded colour profile that is not sRGB. Re-running it rewrites identical files. One source is not
PIL's: crow-440.jpg (crow.png as a 4:4:0 JPEG, q90, written by the JDK's JPEG writer, since PIL cannot write
4:4:0), kept for libjpeg-turbo's fancy 4:4:0 upsampling, which IJG libjpeg 6b lacks.

pil/index.json lists every reference: the source, the PIL mode it was converted to (after exif_transpose), the
size it was resized to (or none) and the resampling filter; plus full preprocessing tensors (float32, little
endian, CHW, gzipped) for model-like specs.
"""
import gzip
import json
import os
import shutil
import struct
import sys
import zlib

import numpy as np
import PIL
from PIL import Image, ImageCms, ImageOps, features

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCES = os.path.join(HERE, "pil")
RESAMPLE = {
    "bicubic": Image.Resampling.BICUBIC,
    "bilinear": Image.Resampling.BILINEAR,
    "nearest": Image.Resampling.NEAREST,
}
CLIP_SPEC = {"resize": "shortest_edge", "resize_size": 224, "interpolation": "bicubic", "crop": "center",
             "crop_rounding": "round", "crop_size": 224, "color_mode": "RGB",
             "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]}
EXACT_SPEC = {"resize": "exact", "resize_size": 64, "interpolation": "bilinear", "crop": "none",
              "crop_rounding": "round", "crop_size": 64, "color_mode": "RGB",
              "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}
GREY_SPEC = {"resize": "shortest_edge", "resize_size": 28, "interpolation": "bicubic", "crop": "center",
             "crop_rounding": "round", "crop_size": 28, "color_mode": "L", "mean": [0.2860], "std": [0.3530]}


def source(name):
    return os.path.join(HERE, name)


def make_sources(stamps):
    for stamp in ("animals/birds/crow.png", "animals/birds/drake.png", "plants/flowers/flower1.png"):
        shutil.copyfile(os.path.join(stamps, stamp), source(os.path.basename(stamp)))
    Image.open(os.path.join(stamps, "animals/birds/rooster.png")).convert("L").save(source("rooster-grey.png"))

    crow = Image.open(source("crow.png")).convert("RGB")
    crow.save(source("crow-q90.jpg"), quality=90)
    # small images to upscale from, and to carry the other formats and the EXIF orientations cheaply
    lanczos = Image.Resampling.LANCZOS
    Image.open(source("rooster-grey.png")).resize((28, 33), lanczos).save(source("rooster-grey-28.png"))
    crow.resize((35, 28), lanczos).save(source("crow-tiny.png"))
    small = crow.resize((64, 51), lanczos)
    small.save(source("crow-small.bmp"))
    Image.open(source("crow.png")).resize((64, 51), lanczos).convert("LA").save(source("crow-small-la.png"))
    small.convert("1").save(source("crow-small-1bit.png"))
    first = small.quantize(64)
    second = ImageOps.mirror(small).quantize(64)
    first.save(source("crow-small.gif"), save_all=True, append_images=[second], duration=100, loop=0)
    if not features.check("webp"):
        sys.exit("this PIL cannot write WebP")
    small.save(source("crow-small-lossless.webp"), lossless=True)
    small.save(source("crow-small-q80.webp"), quality=80)
    icc = linear_rgb_profile()  # PIL ignores it; ImageIO would convert through it
    small.save(source("crow-small-icc.jpg"), quality=90, icc_profile=icc)
    small.save(source("crow-small-icc.webp"), lossless=True, icc_profile=icc)
    small.convert("CMYK").save(source("crow-small-cmyk.jpg"), quality=90)
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        small.save(source(f"crow-small-exif{orientation}.jpg"), quality=90, exif=exif)
    grey16, rgb16 = sixteen_bit_samples()
    write_png(source("grey16.png"), grey16, colour_type=0)
    write_png(source("rgb16.png"), rgb16, colour_type=2)


def linear_rgb_profile():
    """sRGB's primaries with a linear tone curve: an embedded colour profile that is not sRGB."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # a fixed creation date, so reruns change nothing
    profile[84:100] = bytes(16)  # profile ID: none computed (the MD5 would be stale after the edit below)
    (tags,) = struct.unpack(">I", profile[128:132])
    for i in range(tags):
        signature, offset, _ = struct.unpack(">4sII", profile[132 + 12 * i:144 + 12 * i])
        if signature.endswith(b"TRC") and profile[offset:offset + 4] == b"para":
            struct.pack_into(">HHi", profile, offset + 8, 0, 0, 1 << 16)  # function type 0: gamma 1.0
    return bytes(profile)


def sixteen_bit_samples():
    """16-bit values around the 8-bit range, where PIL's handling shows: it clips grey, keeps the high byte of RGB."""
    values = np.array([0, 1, 100, 255, 256, 257, 1000, 4095, 32768, 40000, 65280, 65535], dtype=np.uint16)
    grey = values.reshape(3, 4)
    rgb = np.stack([grey, grey[::-1], np.roll(grey, 1)], axis=-1)
    return grey, rgb


def write_png(path, samples, colour_type):
    """PIL cannot save 16-bit RGB, so these PNGs are written by hand: IHDR, one IDAT, IEND."""
    height, width = samples.shape[:2]

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + row.astype(">u2").tobytes() for row in samples)
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
                  + chunk(b"IEND", b""))


def opened(name):
    """What Montage serves: the image as PIL opens it, with its EXIF orientation applied."""
    return ImageOps.exif_transpose(Image.open(source(name)))


def shortest_edge(size, width, height):
    if width <= height:
        return size, int(size * height / width)
    return int(size * width / height), size


def references():
    cases = []

    def reference(name, mode, size=None, resample=None, lossy=False):
        image = opened(name).convert(mode)
        # references are plain pixels: no tRNS chunk (readers would add alpha), no colour profile
        image.info.pop("transparency", None)
        image.info.pop("icc_profile", None)
        file = f"{name}.{mode}.png"
        if size is not None:
            image = image.resize(size, RESAMPLE[resample])
            file = f"{name}.{mode}.{resample}.{size[0]}x{size[1]}.png"
        image.save(os.path.join(REFERENCES, file), optimize=True)
        cases.append({"source": name, "mode": mode, "size": list(size) if size else None, "resample": resample,
                      "lossy": lossy, "reference": file})

    photos = [("crow.png", False), ("drake.png", False), ("flower1.png", False), ("rooster-grey.png", False),
              ("crow-q90.jpg", True)]
    for name, lossy in photos:
        width, height = Image.open(source(name)).size
        for mode in ("RGB", "L"):
            reference(name, mode, lossy=lossy)
            for resample in RESAMPLE:
                for edge in (28, 64):
                    reference(name, mode, shortest_edge(edge, width, height), resample, lossy)
    for resample in RESAMPLE:  # upscaling
        reference("rooster-grey-28.png", "L", shortest_edge(224, 28, 33), resample)
        reference("crow-tiny.png", "RGB", shortest_edge(224, 35, 28), resample)
    for name, lossy in [("crow-small.bmp", False), ("crow-small.gif", False), ("crow-small-lossless.webp", False),
                        ("crow-small-la.png", False), ("crow-small-1bit.png", False),
                        ("crow-small-q80.webp", True), ("crow-small-icc.jpg", True), ("crow-small-icc.webp", False),
                        ("crow-small-cmyk.jpg", True), ("crow-440.jpg", True),
                        ("grey16.png", False), ("rgb16.png", False)]:
        for mode in ("RGB", "L"):
            reference(name, mode, lossy=lossy)
    for orientation in range(1, 9):
        reference(f"crow-small-exif{orientation}.jpg", "RGB", lossy=True)
    return cases


def preprocess(name, spec):
    """The Python side of preprocessing as torchvision does it: PIL resize, centre crop, float32 arithmetic."""
    image = opened(name).convert(spec["color_mode"])
    size = spec["resize_size"]
    if spec["resize"] == "shortest_edge":
        image = image.resize(shortest_edge(size, *image.size), RESAMPLE[spec["interpolation"]])
    else:
        image = image.resize((size, size), RESAMPLE[spec["interpolation"]])
    if spec["crop"] == "center":
        crop = spec["crop_size"]
        offset = (lambda d: int(round(d / 2.0))) if spec["crop_rounding"] == "round" else (lambda d: d // 2)
        left, top = offset(image.size[0] - crop), offset(image.size[1] - crop)
        image = image.crop((left, top, left + crop, top + crop))
    pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    pixels = pixels / np.float32(255)
    pixels = (pixels - np.array(spec["mean"], dtype=np.float32)) / np.array(spec["std"], dtype=np.float32)
    return pixels.transpose(2, 0, 1).astype("<f4")


def tensors():
    cases = []
    for name, spec, label in [("drake.png", CLIP_SPEC, "clip224"), ("rooster-grey.png", GREY_SPEC, "grey28"),
                              ("crow.png", EXACT_SPEC, "exact64")]:
        tensor = preprocess(name, spec)
        file = f"{name}.{label}.f32.gz"
        # mtime=0: the same tensor gives the same bytes, so regenerating changes no file needlessly
        with open(os.path.join(REFERENCES, file), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(tensor.tobytes())
        cases.append({"source": name, "spec": spec, "shape": list(tensor.shape), "tensor": file})
    return cases


def main():
    if not PIL.__version__.startswith("9.4."):
        sys.exit(f"the references are PIL 9.4's; this is PIL {PIL.__version__}")
    make_sources(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/tuxpaint/stamps")
    shutil.rmtree(REFERENCES, ignore_errors=True)
    os.makedirs(REFERENCES)
    index = {"pil": PIL.__version__, "conversions": references(), "tensors": tensors()}
    with open(os.path.join(REFERENCES, "index.json"), "w") as out:
        json.dump(index, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
