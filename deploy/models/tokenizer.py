"""Hand-written Hugging Face ``tokenizer.json`` (WordLevel) and a Python tokenizer that reproduces it exactly.

There is no ``tokenizers`` package here, so the file is written by hand, and Python tokenizes the way the Rust
``tokenizers`` library (what DJL's ``HuggingFaceTokenizer`` wraps) does for this file:

1. added tokens ("[PAD]", "[UNK]"; ``normalized: false``) are matched verbatim in the raw text first and become
   their ids; the text between them goes through steps 2-4;
2. normalizer ``Lowercase``: ``str.lower()``;
3. pre-tokenizer ``Whitespace``: the regex ``\\w+|[^\\w\\s]+`` (runs of word characters, runs of other non-space
   characters; whitespace is dropped);
4. model ``WordLevel``: vocab lookup, unknown words -> ``unk_token`` id;
5. no post-processor (no BOS/EOS), no truncation, no padding in the file.

Montage then truncates to ``text.context_length`` and pads with ``text.pad_id`` (attention mask 1 for real tokens,
0 for padding; a literal "[PAD]" in the text is a real token: id 0, mask 1) - see :func:`encode_batch`. Truncation
is the Rust tokenizer's (``max_length = context_length``): a post-processor's special tokens are kept; the demo
tokenizer has none, so it is simply the first ``context_length`` tokens.

Also supports (for the synthetic CLIP-like tokenizers of the exporter tests) a ``TemplateProcessing`` or
``RobertaProcessing`` post-processor that puts one token before and one after a single sequence.
"""

from __future__ import annotations

import json
import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

PAD = "[PAD]"
UNK = "[UNK]"

WHITESPACE_RE = re.compile(r"\w+|[^\w\s]+")


def pre_tokenize(text: str) -> List[str]:
    """HF ``Whitespace`` pre-tokenizer (after ``Lowercase``)."""
    return WHITESPACE_RE.findall(text.lower())


def build_vocab(texts: Iterable[str], specials: Sequence[str] = (PAD, UNK)) -> Dict[str, int]:
    """Specials first (``[PAD]`` = 0, ``[UNK]`` = 1), then every word of ``texts`` in sorted order."""
    words = sorted({w for t in texts for w in pre_tokenize(t)} - set(specials))
    vocab = {s: i for i, s in enumerate(specials)}
    for w in words:
        vocab[w] = len(vocab)
    return vocab


def _added_token(id_: int, content: str) -> dict:
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def word_level_tokenizer_json(vocab: Dict[str, int], unk_token: str = UNK,
                              special_tokens: Sequence[str] = (PAD, UNK),
                              post_processor: Optional[dict] = None) -> dict:
    """The ``tokenizer.json`` document: WordLevel + Lowercase + Whitespace, specials as added tokens."""
    if unk_token not in vocab:
        raise ValueError("unk_token must be in the vocab")
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_added_token(vocab[s], s) for s in special_tokens],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": post_processor,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": unk_token},
    }


def write_tokenizer_json(doc: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


class WordLevelTokenizer:
    """Python twin of the Rust tokenizer for the ``tokenizer.json`` files written above."""

    def __init__(self, doc: dict):
        model = doc["model"]
        if model.get("type") != "WordLevel":
            raise ValueError("only WordLevel tokenizers are supported")
        if (doc.get("normalizer") or {}).get("type") not in ("Lowercase",):
            raise ValueError("expected a Lowercase normalizer")
        if (doc.get("pre_tokenizer") or {}).get("type") != "Whitespace":
            raise ValueError("expected a Whitespace pre-tokenizer")
        self.vocab: Dict[str, int] = dict(model["vocab"])
        self.unk_id = self.vocab[model["unk_token"]]
        self.added: List[Tuple[str, int]] = [(t["content"], t["id"]) for t in doc.get("added_tokens", [])]
        for content, _ in self.added:
            if not content:
                raise ValueError("empty added token")
        self.added_re = (re.compile("|".join(re.escape(c) for c, _ in sorted(self.added, key=lambda a: -len(a[0]))))
                         if self.added else None)
        self.added_ids = dict(self.added)
        self.prefix: List[int] = []
        self.suffix: List[int] = []
        pp = doc.get("post_processor")
        if pp:
            if pp["type"] == "RobertaProcessing":
                self.prefix, self.suffix = [pp["cls"][1]], [pp["sep"][1]]
            elif pp["type"] == "TemplateProcessing":
                special = {k: v["ids"] for k, v in pp["special_tokens"].items()}
                seen_a = False
                for piece in pp["single"]:
                    if "Sequence" in piece:
                        seen_a = True
                    else:
                        (self.suffix if seen_a else self.prefix).extend(special[piece["SpecialToken"]["id"]])
            else:
                raise ValueError(f"unsupported post_processor {pp['type']}")

    @classmethod
    def from_file(cls, path: str) -> "WordLevelTokenizer":
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    def _encode_segment(self, text: str) -> List[int]:
        return [self.vocab.get(w, self.unk_id) for w in pre_tokenize(text)]

    def encode(self, text: str, max_length: Optional[int] = None) -> List[int]:
        """Token ids as the Rust tokenizer returns them (with the post-processor's specials, if any).

        ``max_length``: Rust's truncation (``truncation=true, max_length=N``, direction right): the text's tokens
        are cut so that they plus the post-processor's specials fit, i.e. ``[BOS] + first N-2 + [EOS]`` for CLIP-like
        tokenizers; for a tokenizer without a post-processor simply the first N tokens."""
        ids: List[int] = []
        pos = 0
        if self.added_re is not None:
            for m in self.added_re.finditer(text):
                ids += self._encode_segment(text[pos:m.start()])
                ids.append(self.added_ids[m.group(0)])
                pos = m.end()
        ids += self._encode_segment(text[pos:])
        if max_length is not None:
            room = max_length - len(self.prefix) - len(self.suffix)
            if room < 0:
                raise ValueError("max_length leaves no room for the special tokens")
            ids = ids[:room]
        return self.prefix + ids + self.suffix

    def tokens(self, text: str) -> List[str]:
        inv = {i: w for w, i in self.vocab.items()}
        return [inv.get(i, "?") for i in self.encode(text)]


def pad_and_truncate(ids: Sequence[int], context_length: int, pad_id: int) -> Tuple[List[int], List[int]]:
    """Montage's rule: keep the first ``context_length`` ids, then pad; mask 1 for real tokens, 0 for padding.
    (Pass ids from ``encode(text, max_length=context_length)`` so that a post-processor's EOS survives.)"""
    ids = list(ids)[:context_length]
    mask = [1] * len(ids) + [0] * (context_length - len(ids))
    return ids + [pad_id] * (context_length - len(ids)), mask


def encode_batch(tok: WordLevelTokenizer, texts: Sequence[str], context_length: int, pad_id: int):
    """-> (input_ids int64[B, L], attention_mask int64[B, L]) as torch tensors."""
    import torch

    rows = [pad_and_truncate(tok.encode(t, max_length=context_length), context_length, pad_id) for t in texts]
    ids = torch.tensor([r[0] for r in rows], dtype=torch.int64)
    mask = torch.tensor([r[1] for r in rows], dtype=torch.int64)
    return ids, mask
