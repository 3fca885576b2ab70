"""Reference image preprocessing (PIL semantics), driven by a manifest's ``image`` section.

    open -> ImageOps.exif_transpose -> convert(color_mode) -> resize -> center crop -> /255 -> (x - mean) / std -> CHW

* ``convert``: PIL ``Image.convert("RGB")`` drops alpha WITHOUT compositing (the stored colour of transparent pixels
  is kept); ``convert("L")`` is ITU-R 601-2 luma, in PIL's exact integer form
  ``L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16``, also ignoring alpha (LA -> L keeps the grey channel,
  P -> via the palette colours).
* ``resize``: ``shortest_edge`` - the shorter side becomes ``resize_size``, the longer
  ``int(resize_size * long / short)``; ``exact`` - ``resize_size x resize_size``. PIL ``Image.resize(size,
  resample)`` (antialiased convolution, no ``reducing_gap``); a same-size resize is the identity.
* ``crop``: ``center`` - offset ``round((h - crop)/2)`` (Python round, half to even; torchvision) when
  ``crop_rounding`` is ``round``, ``(h - crop) // 2`` (Hugging Face) when ``floor``; same for the width.
  ``none`` - no crop (resize_size must equal crop_size).
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np
from PIL import Image, ImageOps

RESAMPLE = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "nearest": Image.NEAREST}


def resize_size_for(w: int, h: int, spec: Dict[str, Any]) -> Tuple[int, int]:
    s = int(spec["resize_size"])
    if spec["resize"] == "exact":
        return s, s
    if spec["resize"] != "shortest_edge":
        raise ValueError(f"unknown resize {spec['resize']}")
    if w <= h:
        return s, int(s * h / w)
    return int(s * w / h), s


def crop_offset(size: int, crop: int, rounding: str) -> int:
    if rounding == "round":
        return int(round((size - crop) / 2.0))
    if rounding == "floor":
        return (size - crop) // 2
    raise ValueError(f"unknown crop_rounding {rounding}")


def load_image(path: str, color_mode: str) -> Image.Image:
    """Open, apply the EXIF orientation, convert to ``color_mode`` ('RGB' or 'L')."""
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        return im.convert(color_mode)


def resize_and_crop(img: Image.Image, spec: Dict[str, Any]) -> Image.Image:
    if spec["interpolation"] not in RESAMPLE:
        raise ValueError(f"unknown interpolation {spec['interpolation']}")
    size = resize_size_for(img.width, img.height, spec)
    img = img.resize(size, resample=RESAMPLE[spec["interpolation"]])
    crop = int(spec["crop_size"])
    if spec["crop"] == "center":
        if img.width < crop or img.height < crop:
            raise ValueError(f"image {img.size} smaller than crop {crop}")
        left = crop_offset(img.width, crop, spec["crop_rounding"])
        top = crop_offset(img.height, crop, spec["crop_rounding"])
        img = img.crop((left, top, left + crop, top + crop))
    elif spec["crop"] == "none":
        if img.size != (crop, crop):
            raise ValueError("crop 'none' needs resize_size == crop_size")
    else:
        raise ValueError(f"unknown crop {spec['crop']}")
    return img


def to_tensor(img: Image.Image, spec: Dict[str, Any]) -> np.ndarray:
    """uint8 HWC -> float32 CHW in [0,1] -> normalised by mean/std per channel."""
    a = np.asarray(img, dtype=np.uint8)
    if a.ndim == 2:
        a = a[:, :, None]
    x = a.astype(np.float32) / np.float32(255.0)
    mean = np.asarray(spec["mean"], dtype=np.float32)
    std = np.asarray(spec["std"], dtype=np.float32)
    if x.shape[2] != len(mean) or len(mean) != len(std):
        raise ValueError("mean/std length must equal the channel count")
    x = (x - mean) / std
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)


def preprocess_pil(img: Image.Image, spec: Dict[str, Any]) -> np.ndarray:
    """An already opened PIL image (EXIF not applied here) -> float32[C, H, W]."""
    img = img.convert(spec["color_mode"])
    return to_tensor(resize_and_crop(img, spec), spec)


def preprocess_file(path: str, spec: Dict[str, Any]) -> np.ndarray:
    """A file -> float32[C, H, W] (the full reference pipeline, EXIF orientation included)."""
    return to_tensor(resize_and_crop(load_image(path, spec["color_mode"]), spec), spec)
