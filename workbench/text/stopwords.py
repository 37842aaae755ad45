"""Stop words and interview fillers for word counts, TF-IDF and themes (zh and en; other languages
use spaCy's list for the language, see `nlp.tokenize`).

spaCy's lists are the base, so counts agree with what readers of spaCy-based studies expect;
on top of them come the fillers that fill spoken transcripts but not written text.
Fillers that are only fillers in some positions (en "like", "you know", "I mean") are
handled in context by `nlp.terms`, not here; so are negations, which join the word they negate.
A project adds its own stop words on top (`workbench stopwords`, `words.project_stopwords`).
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
    # Places and times in relation to something (中 时 里 上 下 …): in frequency lists they crowded
    # out the subjects of a real project (issue 19).
    "中时里上下内外前后间边等将已所由该此"
)

# Spoken contractions that spaCy splits into fragments (gonna -> gon + na, wanna -> wan + na):
# the whole whitespace-separated chunk is a filler, so no fragment becomes a word or a label.
EN_SPOKEN = frozenset({
    "gonna", "wanna", "gotta", "kinda", "sorta", "lemme", "gimme", "dunno", "outta", "ya", "y'know",
    "y’know", "cuz", "coz", "'cause", "’cause", "innit",
})

# Negations make a word of their own with what they negate (不信任, 没有信任, "not trust"): spaCy's
# Chinese list holds 不 and 没有, so 不信任 was counted as 信任 (issue 19). They stay stop words alone.
ZH_NEGATORS = frozenset({"不", "没", "没有", "未", "非"})
EN_NEGATORS = {"not": "not", "n't": "not", "n’t": "not", "never": "not", "no": "no"}
# Adverbs a negation may stand before without losing its word: "not really trust" is "not trust".
EN_NEGATION_SKIP = frozenset({"really", "even", "very", "quite", "always", "ever", "fully", "completely",
                              "totally", "actually", "necessarily", "exactly", "much"})
# In spaCy's Chinese list but content in interviews: kept as words (不知道 is its own term then).
ZH_NOT_STOP = frozenset({"知道"})

# Forms of address: in transcripts they precede (pseudonymised) names, never a topic.
EN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr."})

EN_STOP_WORDS = frozenset(_SPACY_EN) | EN_FILLERS | EN_TITLES | EN_SPOKEN
ZH_STOP_WORDS = (frozenset(_SPACY_ZH) - ZH_NOT_STOP) | ZH_FILLERS | ZH_FUNCTION_CHARS


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
