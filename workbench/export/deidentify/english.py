"""English (and other Latin-script) names PROPOSED for review: capitalised word sequences that
are not at a sentence start and not ordinary words, a title (Mr, Dr) before a name, words that
mark organisations and places, and spaCy's entities when a trained English pipeline is
installed. Precision before recall: an ordinary word capitalised after a comma ("given them,
Strict guidelines") is common in English (spaCy's lexeme probabilities), so it is no name.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

SPACY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation"}
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "madam", "mister", "professor", "prof", "uncle",
                    "auntie", "aunt", "sir", "lady", "lao", "xiao"})
PLACE_CUES = frozenset({"in", "at", "from", "to", "near", "into", "around", "across", "outside", "via"})
ORG_WORDS = frozenset({"company", "committee", "bureau", "office", "association", "group", "factory", "bank",
                       "ltd", "inc", "co", "university", "college", "school", "hospital", "council", "department",
                       "ministry", "centre", "center", "corporation", "foundation", "church", "mosque",
                       "federation", "union", "agency", "institute", "trading", "logistics"})
# Capitalised words that are never names in transcripts: labels, weekdays, months, languages.
NOT_NAMES = frozenset("""
i i'm i've i'd i'll ok okay yes no yeah yep well so and but or oh um uh hmm ah right sure thanks thank please
interviewer respondent moderator participant speaker q a r p note laughs laughter pause inaudible crosstalk
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december spring summer autumn winter new year festival
chinese english mandarin cantonese arabic french african arab muslim christian western foreign foreigners
government party city province village district street community road the this that these those there then
when what why how who where which if because also just maybe actually really very now here we you they he
she it my our your their his her its a an of in on at for with by from to as is was are were be been
""".split())
COMMON_LOG_PROB = -12.5  # spaCy's English lexeme log probability: above this, an everyday word
_WORD = r"[A-Z][a-zà-öø-ÿ]+(?:['’-][A-Za-zà-öø-ÿ]+)?"
_SEQUENCE = re.compile(rf"(?<![\w'’-])({_WORD}(?:[ \t]+{_WORD})*)(?![\w'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？:：;；\"“”\n\]\)\-–—])[\s\"“'‘*_(]*$")
_DEMONYM = re.compile(r"(?:ians?|eans?|ese|ish|ans|cans)$")
_CUE = re.compile(r"([A-Za-z]+)\.?\s*$")


@functools.lru_cache(maxsize=1)
def _log_probs() -> dict[str, float]:
    """spaCy's English word frequencies (spacy-lookups-data); empty if it is not installed."""
    try:
        import gzip
        import json
        from importlib.resources import files

        with gzip.open(str(files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"), "rt") as handle:
            table = json.load(handle)
        return {word: prob for word, prob in table.items() if prob > COMMON_LOG_PROB and word.islower()}
    except Exception:  # no word list: every capitalised word stays a proposal, reviewed anyway
        return {}


def is_common(word: str) -> bool:
    return word.casefold().replace("’", "'") in NOT_NAMES or word.casefold() in _log_probs()


def propose(text: str, nlp: object | None = None) -> Counter[tuple[str, str]]:
    """(term, kind) -> how often, for one text."""
    found: Counter[tuple[str, str]] = Counter()
    if nlp is not None:
        for ent in nlp(text).ents:  # type: ignore[operator]
            kind = SPACY_KINDS.get(ent.label_)
            name = ent.text.strip()
            if kind and len(name) >= 2 and not re.search("[\u3400-\u9fff]", name) and not all(
                    is_common(w) for w in name.split()):
                found[(name, kind)] += 1
        return found
    for match in _SEQUENCE.finditer(text):
        words = match.group(1).split()
        start = match.start(1)
        cue = (_CUE.findall(text[max(0, start - 30):start]) or [""])[0].casefold()
        titled = cue in TITLES
        while words and (words[0].casefold().strip("'’") in TITLES or words[0].casefold() in NOT_NAMES):
            titled = titled or words[0].casefold() in TITLES
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        while words and words[-1].casefold() in NOT_NAMES:
            words = words[:-1]
        if not words or (len(words) == 1 and _DEMONYM.search(words[0]) and not titled):
            continue  # "Syrians", "Chinese": a people, not a person
        at_start = bool(_SENTENCE_START.search(text[max(0, start - 30):start])) and start == match.start(1)
        if at_start and not titled and all(is_common(w) for w in words[:1]):
            words = words[1:]  # "Strict guidelines" at a start; "Trust" says nothing
            if not words:
                continue
        if not titled and all(is_common(w) for w in words):
            continue  # "given them, Strict Guidelines": ordinary words capitalised
        if len(words) == 1 and at_start and not titled:
            continue  # a lone capitalised word at a sentence start: no evidence of a name
        name = " ".join(words)
        if words[-1].casefold() in ORG_WORDS:
            kind = "organisation"
        elif titled:
            kind = "person"
        elif cue in PLACE_CUES:
            kind = "place"
        else:
            kind = "person"
        found[(name, kind)] += 1
    return found


@functools.lru_cache(maxsize=1)
def trained_pipeline() -> object | None:
    """A trained English spaCy pipeline with an entity recogniser, if the user installed one."""
    try:
        import spacy

        for name in sorted(spacy.util.get_installed_models()):
            if name.startswith("en_"):
                nlp = spacy.load(name, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
                if "ner" in nlp.pipe_names:
                    return nlp
    except Exception:  # a broken model install must not stop an export: the rules take over
        return None
    return None
