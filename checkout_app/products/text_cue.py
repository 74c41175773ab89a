"""Printed text as a product cue: what a package says (brand, flavour) read by OCR.

Pure logic over the words an OCR model read; the model itself lives in ``backends``. A product's
*text profile* is the words its teaching photos show, each weighted by how many of them show it
and by how rare it is among the taught products (a brand printed on five products tells them
apart less than the flavour printed on one). A photo's text score for a product is the weighted
share of that profile it shows: shelf labels and other packages in the background add words to
the photo but cannot lower the score of the product it shows.

Print can also say that a photo is not the product it looks most like (``contradicting_words``):
a word read clearly in the middle of the photo (on the product in front, not on its neighbours)
that the candidate's teaching photos never showed, and that either no taught photo showed (the
apple juice of a brand whose orange juice is taught) or another taught product carries (the
orange & red grapefruit juice beside the taught orange and red grapefruit ones).
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import dataclass
from typing import Collection, Iterable, Mapping, Sequence

# OCR often reads part of a word on a curved carton ("RAVO" for "BRAVO"): this similarity
# (difflib's ratio) still counts as the word; shorter words must be read whole.
FUZZY_WORD_RATIO = 0.8
MIN_WORD_LENGTH = 3
# A word read with less confidence than this is more often noise than print.
MIN_OCR_CONFIDENCE = 0.6
# Words that can show an untaught product: read with at least this confidence (garbled reads of
# small print come at 0.55-0.75) in the middle ``MIDDLE_SHARE`` of each side of the photo, and
# at least ``MIN_TELLING_LENGTH`` letters long. Chosen on the juices' spare teaching photos,
# then measured on their test photos (README).
MIN_TELLING_CONFIDENCE = 0.85
MIDDLE_SHARE = 0.4
MIN_TELLING_LENGTH = 5


def normalize_words(read: Iterable[tuple]) -> list[str]:
    """``(text, confidence, ...)`` lines from OCR -> distinct upper-case words worth matching.

    Words are split on anything that is not a letter or digit; numbers (prices, volumes, dates
    on shelf labels) and words shorter than ``MIN_WORD_LENGTH`` are dropped.
    """
    words: list[str] = []
    for text, confidence, *_ in read:
        if confidence < MIN_OCR_CONFIDENCE:
            continue
        cleaned = "".join(
            ch if unicodedata.category(ch)[0] in "LN" else " "
            for ch in unicodedata.normalize("NFC", str(text)).upper()
        )
        for word in cleaned.split():
            if len(word) >= MIN_WORD_LENGTH and not word.isdigit() and word not in words:
                words.append(word)
    return words


def middle_words(read: Iterable[tuple]) -> list[str]:
    """Words that could tell an untaught product: ``(text, confidence, (x, y))`` lines, the
    centre of each as a share of the photo's width and height, read surely in its middle."""
    half = MIDDLE_SHARE / 2
    sure = [
        (text, confidence)
        for text, confidence, (x, y) in read
        if confidence >= MIN_TELLING_CONFIDENCE and abs(x - 0.5) <= half and abs(y - 0.5) <= half
    ]
    return [w for w in normalize_words(sure) if len(w) >= MIN_TELLING_LENGTH and w.isalpha()]


def knows(vocabulary: Collection[str], word: str) -> bool:
    """Whether ``word`` matches a word of ``vocabulary``, is part of one (a word read in part:
    "EFRUIT" of "GRAPEFRUIT") or holds one, of four letters or more."""
    return any(
        words_match(word, seen)
        or (min(len(word), len(seen)) >= 4 and (word in seen or seen in word))
        for seen in vocabulary
    )


def contradicting_words(
    words: Iterable[str],
    candidate_words: Collection[str],
    vocabulary: Collection[str],
    printed_on_others: Collection[str],
) -> list[str]:
    """``words`` (a photo's middle words) that say it is not the candidate: never on the
    candidate's teaching photos, and either on no teaching photo at all (a product nobody
    taught) or printed on another taught product (in its profile: a sibling's flavour)."""
    return [
        w
        for w in words
        if not knows(candidate_words, w)
        and (not knows(vocabulary, w) or knows(printed_on_others, w))
    ]


def words_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= FUZZY_WORD_RATIO


@dataclass(frozen=True)
class TextProfile:
    """Words a product shows and their weights (share of its photos x rarity)."""

    weights: Mapping[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def build_profiles(photo_words: Mapping[str, Sequence[Sequence[str]]]) -> dict[str, TextProfile]:
    """Text profiles for every product from the words of each of its teaching photos.

    A word counts for a product when at least a quarter of its photos show it (and at least
    one); its weight is that share times log(1 + products / products showing it).
    """
    shares: dict[str, dict[str, float]] = {}
    for sku, photos in photo_words.items():
        counts: dict[str, int] = {}
        for words in photos:
            for word in set(words):
                counts[word] = counts.get(word, 0) + 1
        n = max(len(photos), 1)
        shares[sku] = {w: c / n for w, c in counts.items() if c / n >= 0.25}
    products = len(shares)
    spread: dict[str, int] = {}
    for words in shares.values():
        for word in words:
            spread[word] = spread.get(word, 0) + 1
    return {
        sku: TextProfile({w: s * math.log(1.0 + products / spread[w]) for w, s in words.items()})
        for sku, words in shares.items()
    }


def text_score(profile: TextProfile, words: Sequence[str]) -> float:
    """Weighted share (0..1) of ``profile`` found among a photo's ``words``."""
    total = profile.total
    if total <= 0 or not words:
        return 0.0
    found = sum(
        weight
        for word, weight in profile.weights.items()
        if any(words_match(word, seen) for seen in words)
    )
    return found / total
