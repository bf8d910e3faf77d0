"""Compact fingerprints of comment text, for telling duplicates apart from new comments.

- text_hash: SHA-256 of the text with case, whitespace and punctuation normalised away; equal
  hashes mean the same words in the same order (an exact duplicate).
- sketch: a bottom-k MinHash sketch of the text's word 3-shingles: the SKETCH_SIZE smallest
  32-bit shingle hashes, packed into bytes. Two sketches estimate the Jaccard similarity of
  the shingle sets without reading either body again; for texts of fewer shingles than
  SKETCH_SIZE the estimate is exact.
"""

import hashlib
import re
import unicodedata
from array import array

SHINGLE_WORDS = 3
SKETCH_SIZE = 128
_WORD = re.compile(r"[^\W_]+")


def words(text):
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded)


def text_hash(text):
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def _shingle_hashes(text):
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        tokens = tokens or [""]
        shingles = {" ".join(tokens)}
    else:
        shingles = {
            " ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)
        }
    return {
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big") for s in shingles
    }


def sketch(text):
    """The bottom-k sketch of the text, as bytes to store."""
    return array("I", sorted(_shingle_hashes(text))[:SKETCH_SIZE]).tobytes()


def _unpack(packed):
    values = array("I")
    values.frombytes(bytes(packed))
    return values


def similarity(packed_a, packed_b):
    """Estimated Jaccard similarity (0 to 1) of the texts two sketches were made from."""
    a, b = set(_unpack(packed_a)), set(_unpack(packed_b))
    if not a or not b:
        return 0.0
    union_sketch = sorted(a | b)[:SKETCH_SIZE]
    shared = sum(1 for value in union_sketch if value in a and value in b)
    return shared / len(union_sketch)
