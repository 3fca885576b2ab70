"""The platform answers the fused demo's held-out split as its trainer did: through ``POST /v1/predict``.

    /usr/bin/python3 deploy/models/check_predict_api.py API_URL KEY [--model tuxpaint-fused-mini]

Sends the 118 held-out stamps of ``tuxpaint-fused-mini/reference/heldout.json`` (photos from
/usr/share/datasets/tuxpaint-stamps, captions) as one JSON request, then the first stamp again as a multipart form
(``image`` file + ``text`` field), and checks: every input's top label is the trainer's prediction, every returned
probability is within 1e-5 of the trainer's, the count of correct answers is the trainer's (so the accuracy is
exactly the one TRAINING.md reports), ``top_k`` keeps that many labels, and the form answers what the JSON answered.
Standard library only (the smoke test runs it). Exits non-zero with the first difference.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-5


def post(url: str, key: str, body: bytes, content_type: str) -> dict:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        sys.exit(f"predict: {url} answered {e.code}: {e.read().decode('utf-8', 'replace')[:500]}")


def form(fields, image: bytes) -> tuple:
    boundary = "predict" + uuid.uuid4().hex
    out = b""
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="stamp.png"\r\n'
            f'Content-Type: image/png\r\n\r\n').encode() + image + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), "multipart/form-data; boundary=" + boundary


def check(answer: dict, item: dict, labels, where: str) -> str:
    ranked = answer["labels"]
    top = ranked[0]["label"]
    if top != item["predicted"]:
        sys.exit(f"predict: {where} ({item['image']}): top label {top}, the trainer's {item['predicted']}")
    for entry in ranked:
        expected = item["probabilities"][labels.index(entry["label"])]
        if abs(entry["score"] - expected) > TOLERANCE:
            sys.exit(f"predict: {where} ({item['image']}): p({entry['label']}) {entry['score']}, the trainer's {expected}")
    return top


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("api")
    ap.add_argument("key")
    ap.add_argument("--model", default="tuxpaint-fused-mini")
    args = ap.parse_args()
    with open(os.path.join(HERE, "tuxpaint-fused-mini", "reference", "heldout.json")) as f:
        held_out = json.load(f)
    labels, items = held_out["labels"], held_out["items"]
    images = []
    for item in items:
        with open(os.path.join(held_out["stamps_root"], item["image"]), "rb") as f:
            images.append(f.read())

    body = {"model": args.model, "top_k": len(labels),
            "inputs": [{"image": base64.b64encode(b).decode(), "text": it["text"]} for b, it in zip(images, items)]}
    answer = post(args.api + "/v1/predict", args.key, json.dumps(body).encode(), "application/json")
    data = answer["data"]
    if len(data) != len(items):
        sys.exit(f"predict: {len(data)} answers for {len(items)} inputs")
    correct = sum(check(d, it, labels, f"input {d['index']}") == it["label"] for d, it in zip(data, items))
    if correct != held_out["correct"]:
        sys.exit(f"predict: {correct} of {len(items)} right through the api, the trainer {held_out['correct']}")

    multipart, content_type = form([("model", args.model), ("text", items[0]["text"]), ("top_k", "3")], images[0])
    formed = post(args.api + "/v1/predict", args.key, multipart, content_type)["data"]
    if len(formed) != 1 or len(formed[0]["labels"]) != 3:
        sys.exit(f"predict: the form answered {formed}")
    check(formed[0], items[0], labels, "the form")
    print(f"predict: {correct}/{len(items)} held-out stamps right through /v1/predict "
          f"({correct / len(items) * 100:.2f} %, the trainer's), every probability within {TOLERANCE}; the form too")


if __name__ == "__main__":
    main()
