"""Full-text search: Chinese words, English words with stemming, mixed turns, hostile terms."""

from __future__ import annotations

import re

import pytest

from workbench.imports import import_files
from workbench.model import WorkbenchError
from workbench.search import search
from workbench.store import Project


@pytest.fixture(scope="module")
def demo(demo_file):
    with Project.open(demo_file) as opened:
        yield opened


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    (folder / "mixed.txt").write_text(
        "Interviewer: Do you trust the 居委会 staff?\n"
        "受访者：我信任他们。The cafe\u0301 owner is a 老乡, we trusted him from the start.\n"
        "Interviewer: And the brokers?\n"
        "受访者：中介很难说，有的靠得住，有的靠不住。\n",
        encoding="utf-8",
    )
    with Project.create(folder / "s.qda") as opened:
        list(import_files(opened, [folder / "mixed.txt"]))
        yield opened


def brute_force(project: Project, pattern: str) -> set[tuple[str, int]]:
    """(document, turn start) of every turn whose text matches, found the slow way."""
    found = set()
    for doc_id, name, text in project.document_texts():
        for turn in project.turns(doc_id):
            if re.search(pattern, text[turn.start:turn.end], re.IGNORECASE):
                found.add((name, turn.start))
    return found


def located(project: Project, hit) -> list[str]:
    text = project.document(hit.document_id).text
    return [text[start:end] for start, end in hit.matches]


@pytest.mark.parametrize("word", ["老乡", "信任", "商会"])
def test_two_character_chinese_words_are_found_in_every_turn_that_holds_them(demo, word):
    hits = search(demo, word)
    assert hits
    assert {(h.document, h.turn_start) for h in hits} == brute_force(demo, re.escape(word))
    for hit in hits:
        assert located(demo, hit) and set(located(demo, hit)) == {word}
        assert hit.context == demo.slice(hit.document_id, hit.turn_start, hit.turn_end)


def test_a_single_chinese_character_inside_longer_words_is_found(demo):
    hits = search(demo, "信")
    assert {(h.document, h.turn_start) for h in hits} == brute_force(demo, "信")


@pytest.mark.parametrize("word", ["broker", "WeChat", "association"])
def test_english_words_are_found(demo, word):
    hits = search(demo, word)
    assert hits
    assert {(h.document, h.turn_start) for h in hits} >= brute_force(demo, rf"\b{word}\b")
    assert all(any(w.lower().startswith(word.lower()[:4]) for w in located(demo, h)) for h in hits)


def test_stemming_finds_trust_from_trusted(demo):
    trusted = search(demo, "trusted")
    assert trusted
    assert {(h.document, h.turn_start) for h in trusted} == {(h.document, h.turn_start) for h in search(demo, "trust")}
    assert brute_force(demo, r"\btrust\b") <= {(h.document, h.turn_start) for h in trusted}
    for hit in trusted:
        assert all(word.lower().startswith("trust") for word in located(demo, hit))


def test_every_word_of_a_phrase_must_be_in_the_turn(demo):
    hits = search(demo, "social insurance")
    assert hits
    for hit in hits:
        assert "social" in hit.context.lower() and "insurance" in hit.context.lower()


def test_hits_are_sorted_and_limited(demo):
    hits = search(demo, "the")
    assert hits == sorted(hits, key=lambda h: (h.document, h.turn_start))
    assert len(search(demo, "the", limit=3)) == 3


def test_english_in_a_chinese_turn(mixed):
    (hit,) = search(mixed, "owner")
    assert hit.speaker == "受访者" and located(mixed, hit) == ["owner"]
    asked, answered = search(mixed, "trust")
    assert located(mixed, asked) == ["trust"]
    assert answered.speaker == "受访者"
    assert [m for m in re.finditer(r"\w+", answered.context) if m.group().startswith("trust")]


def test_chinese_in_an_english_turn(mixed):
    hits = search(mixed, "居委会")
    assert [(h.speaker, located(mixed, h)) for h in hits] == [("Interviewer", ["居委会"])]


def test_accented_words_and_decomposed_queries(mixed):
    for term in ("café", "cafe\u0301"):  # composed and decomposed spellings of the same word
        (hit,) = search(mixed, term)
        assert located(mixed, hit) == ["café"]


def test_chinese_and_english_together(mixed):
    (hit,) = search(mixed, "老乡 trusted")
    assert located(mixed, hit) == ["老乡", "trusted"]  # each word where it is
    assert search(mixed, "靠得住") and not search(mixed, "靠得住 owner")


@pytest.mark.parametrize("term", ["AND", "NOT", "trust OR", "NEAR(trust", "-trust", "trust*", "a:b", "'", "(",
                                  "body:trust", "^trust"])
def test_search_syntax_in_the_term_is_text_not_a_query(mixed, term):
    try:
        hits = search(mixed, term)
    except WorkbenchError as error:
        assert "\n" not in str(error) and str(error).startswith("search: ")
    else:
        assert isinstance(hits, list)


@pytest.mark.parametrize("term", ["", "   ", '"', "*", "，。"])
def test_terms_without_a_word_are_refused(mixed, term):
    with pytest.raises(WorkbenchError, match="^search: "):
        search(mixed, term)


def test_search_of_one_coders_work_keeps_only_matches_inside_their_codings(demo):
    from workbench.search import within_codings_of

    hits = search(demo, "信任")
    saras = [(c.document_id, c.start, c.end) for c in demo.codings(coders=["sara"])]
    kept = within_codings_of(demo, hits, ["sara"])
    assert kept and len(kept) < len(hits)
    for hit in kept:
        for a, b in hit.matches:
            assert any(d == hit.document_id and s < b and a < e for d, s, e in saras)
    everything = {(h.document_id, m) for h in hits for m in h.matches}
    missed = everything - {(h.document_id, m) for h in kept for m in h.matches}
    for document_id, (a, b) in missed:  # what was left out lies outside every one of sara's codings
        assert not any(d == document_id and s < b and a < e for d, s, e in saras)
