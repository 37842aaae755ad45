"""Keyword suggestions: a code's keywords found in a sentence, scored higher when several and rare.

English keywords match on lemmas with spaCy's PhraseMatcher (so "patrolled" finds "patrol").
Chinese keywords match on the characters themselves: jieba cuts 不信任 as one word, so matching
on its tokens would miss 信任 in 信任居委会 in one sentence and find it in the next; where two
keywords overlap, the longer one wins, so 不信任 counts for Distrust and not also for Trust.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Code
from ..text.nlp import english, tokenize
from ..text.segment import has_han
from .units import Unit

SCALE = 4.0  # score = 1 - exp(-sum of keyword weights / SCALE): one rare keyword ≈ 0.8


def _lemma_doc(text: str):
    """A spaCy doc whose words are the text's lemmas (the shared tokenizer), with character offsets."""
    from spacy.tokens import Doc

    tokens = [t for t in tokenize(text) if t.norm.strip()]
    words = [t.norm for t in tokens] or [""]
    doc = Doc(english().vocab, words=words, spaces=[False] * len(words))
    return doc, [t.start for t in tokens], [t.end for t in tokens]


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    keyword: str
    code_ids: tuple[int, ...]


@dataclass
class KeywordIndex:
    """Every code's keywords, ready to match, with how common each keyword is in the project."""

    zh: dict[str, set[int]] = field(default_factory=dict)
    en: dict[str, set[int]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    _matcher: object = None

    @classmethod
    def from_codes(cls, codes: Iterable[Code]) -> KeywordIndex:
        index = cls()
        for code in codes:
            for keyword in code.keywords_zh + code.keywords_en:
                keyword = " ".join(keyword.split())
                if not keyword:
                    continue
                # a Chinese keyword listed under English (or the reverse) still matches by its script
                (index.zh if has_han(keyword) else index.en).setdefault(keyword.lower(), set()).add(code.stored_id)
        return index

    def matcher(self):
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            nlp = english()
            matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
            for keyword in self.en:
                doc, _, _ = _lemma_doc(keyword)
                matcher.add(keyword, [doc])
            self._matcher = matcher
        return self._matcher

    def hits(self, text: str) -> list[Hit]:
        """Keyword occurrences in text, overlaps resolved in favour of the longer keyword."""
        found: list[tuple[int, int, str]] = []
        lowered = text.lower()
        for keyword in self.zh:
            at = lowered.find(keyword)
            while at >= 0:
                found.append((at, at + len(keyword), keyword))
                at = lowered.find(keyword, at + 1)
        if self.en:
            doc, starts, ends = _lemma_doc(text)
            vocab = doc.vocab
            for match_id, first, last in self.matcher()(doc):
                if starts:
                    found.append((starts[first], ends[last - 1], vocab.strings[match_id]))
        found.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: list[tuple[int, int]] = []
        hits = []
        for start, end, keyword in found:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            codes = self.zh.get(keyword) or self.en.get(keyword) or set()
            hits.append(Hit(start, end, keyword, tuple(sorted(codes))))
        hits.sort(key=lambda h: h.start)
        return hits

    def fit(self, texts: Iterable[str]) -> KeywordIndex:
        """Weigh each keyword by how rare it is among the project's sentences (inverse frequency)."""
        counts: Counter = Counter()
        total = 0
        for text in texts:
            total += 1
            counts.update({hit.keyword for hit in self.hits(text)})
        self.weights = {k: math.log(1 + (total + 1) / (1 + counts[k])) for k in (*self.zh, *self.en)}
        return self

    def score(self, keywords: Iterable[str]) -> float:
        weight = sum(self.weights.get(k, math.log(2)) for k in set(keywords))
        return 1.0 - math.exp(-weight / SCALE)

    def suggest(self, units: Sequence[Unit],
                whole_texts: dict[int, str] | None = None) -> list[tuple[int, int, float, tuple[str, ...]]]:
        """(unit index, code id, score, keywords) for each sentence that holds a code's keywords.

        Matching runs once per document (`whole_texts`), then hits are dealt to sentences.
        """
        by_document: dict[int, list[int]] = defaultdict(list)
        for number, unit in enumerate(units):
            by_document[unit.document_id].append(number)
        results = []
        for document_id, numbers in by_document.items():
            if whole_texts and document_id in whole_texts:
                hits = self.hits(whole_texts[document_id])
            else:
                hits = [Hit(h.start + units[n].start, h.end + units[n].start, h.keyword, h.code_ids)
                        for n in numbers for h in self.hits(units[n].text)]
            starts = [units[n].start for n in numbers]
            per_unit: dict[tuple[int, int], set[str]] = defaultdict(set)
            for hit in hits:
                position = bisect.bisect_right(starts, hit.start) - 1
                if position < 0:
                    continue
                number = numbers[position]
                if hit.end > units[number].end:
                    continue  # a keyword across a sentence break matches neither sentence
                for code_id in hit.code_ids:
                    per_unit[(number, code_id)].add(hit.keyword)
            for (number, code_id), keywords in per_unit.items():
                results.append((number, code_id, self.score(keywords), tuple(sorted(keywords))))
        results.sort()
        return results
