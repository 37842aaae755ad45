"""Stop words and interview fillers for word counts, TF-IDF and themes (zh and en).

spaCy's lists are the base, so counts agree with what readers of spaCy-based studies expect;
on top of them come the fillers that fill spoken transcripts but not written text.
Fillers that are only fillers in some positions (en "like", "you know", "I mean") are
handled in context by `nlp.terms`, not here.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS as _SPACY_EN
from spacy.lang.zh.stop_words import STOP_WORDS as _SPACY_ZH

# Hesitations and back-channels: never content in a transcript.
EN_FILLERS = frozenset({
    "uh", "um", "umm", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "mmm", "mhm",
    "uh-huh", "yeah", "yep", "yup", "okay", "ok", "oh",
})
ZH_FILLERS = frozenset({
    "嗯", "嗯嗯", "啊", "呃", "额", "哦", "噢", "喔", "哎", "唉", "诶", "欸", "嘛", "呀", "哈",
    "那个", "就是", "就是说", "然后", "对", "对对", "对对对", "这个", "吧", "呢",
})
# Single characters that jieba leaves on their own and that carry grammar, not topic
# (particles, pronouns, prepositions, adverbs, light verbs). Many are already in spaCy's list;
# single content characters (钱, 家, 房) are deliberately not here.
ZH_FUNCTION_CHARS = frozenset(
    "的地得了着过是在和与及或也都就还又再才只很太更最把被给让从向往对跟同比为以于而但却则即"
    "之其这那哪谁啥么吗呢吧啊呀嘛哦嗯呃哈啦咯喔我你您他她它咱个些一不没有说到"
)

# Forms of address: in transcripts they precede (pseudonymised) names, never a topic.
EN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr."})

EN_STOP_WORDS = frozenset(_SPACY_EN) | EN_FILLERS | EN_TITLES
ZH_STOP_WORDS = frozenset(_SPACY_ZH) | ZH_FILLERS | ZH_FUNCTION_CHARS


def is_stop(word: str, lang: str) -> bool:
    """True for a stop word or filler. `word` is lowercase (a norm or lowercase surface form).

    English is judged on the surface form by `nlp.tokenize` (spaCy's convention), because the
    lookup lemmatizer maps some content words onto stop words (better -> well).
    """
    if lang == "zh":
        return word in ZH_STOP_WORDS
    if lang == "en":
        return word in EN_STOP_WORDS or word.replace("’", "'") in EN_STOP_WORDS
    return False
