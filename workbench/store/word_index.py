"""The word index (term counts per document, word positions per turn) and the project's own stop words:
what `words`, `kwic` and `themes` read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .base import Queries, inserted_id, now


class WordIndexQueries(Queries):
    """The word index built once per document, and the stop words a project adds to the built-in lists."""

    # (term, lang) -> id, read once per connection and kept up to date by `_term_ids`.
    _word_term_ids: dict[tuple[str, str], int] | None = None

    def documents_lacking_word_counts(self, version: str) -> list[int]:
        """Documents never indexed, or indexed by another tokenizer version."""
        return [row[0] for row in self.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN word_indexed w ON w.document_id = d.id "
            "WHERE w.document_id IS NULL OR w.version <> ? ORDER BY d.id", [version])]

    def store_word_index(
        self, version: str,
        documents: list[tuple[int, dict[tuple[str, str], int], dict[int, dict[tuple[str, str], bytes]]]],
    ) -> None:
        """Replace the index of some documents, each (id, (term, lang) -> n, turn id -> (term, lang) -> packed
        offsets); call inside `transaction()`. Counts are kept per document (frequencies, keyness), positions
        per turn (KWIC, themes); all rows go in with a few executemany calls."""
        ids = self._term_ids({key for _, counts, positions in documents
                              for key in (*counts, *(k for per in positions.values() for k in per))})
        clear = [(document_id,) for document_id, _, _ in documents]
        self.conn.executemany(
            "DELETE FROM word_positions WHERE turn_id IN (SELECT id FROM turns WHERE document_id = ?)", clear)
        self.conn.executemany("DELETE FROM word_document_counts WHERE document_id = ?", clear)
        positions_rows, document_rows, indexed_rows = [], [], []
        stamp = now()
        for document_id, counts, positions in documents:
            document_rows += [(document_id, ids[key], n) for key, n in counts.items()]
            for turn_id, packed in positions.items():
                positions_rows += [(ids[key], turn_id, blob) for key, blob in packed.items()]
            indexed_rows.append((document_id, sum(counts.values()), version, stamp))
        positions_rows.sort()  # in key order: appends to the B-tree instead of scattered inserts
        document_rows.sort()
        self.conn.executemany("INSERT INTO word_positions (term_id, turn_id, spans) VALUES (?, ?, ?)", positions_rows)
        self.conn.executemany("INSERT INTO word_document_counts (document_id, term_id, n) VALUES (?, ?, ?)",
                              document_rows)
        self.conn.executemany(
            "INSERT INTO word_indexed (document_id, words, version, indexed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET words = excluded.words, version = excluded.version, "
            "indexed_at = excluded.indexed_at", indexed_rows)

    def _term_ids(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """(term, lang) -> id, adding the new ones; known terms are read once per connection."""
        known = self._word_term_ids
        if known is None or len(known) != self.conn.execute("SELECT count(*) FROM word_terms").fetchone()[0]:
            known = {(term, lang): term_id for term_id, term, lang in
                     self.conn.execute("SELECT id, term, lang FROM word_terms")}
        for key in sorted(keys - known.keys()):
            known[key] = inserted_id(self.conn.execute("INSERT INTO word_terms (term, lang) VALUES (?, ?)", key))
        self._word_term_ids = known
        return {key: known[key] for key in keys}

    def word_totals(self, document_ids: Iterable[int] | None = None) -> tuple[list[tuple[str, str, int]], int]:
        """((term, lang, n) summed over documents, total words) from the index."""
        clause, params = "", []
        if document_ids is not None:
            ids = list(document_ids)
            if not ids:
                return [], 0
            clause = f" WHERE c.document_id IN ({','.join('?' * len(ids))})"
            params = ids
        rows = self.conn.execute(
            f"SELECT t.term, t.lang, s.n FROM (SELECT c.term_id, sum(c.n) AS n FROM word_document_counts c{clause} "
            "GROUP BY c.term_id) s JOIN word_terms t ON t.id = s.term_id", params).fetchall()
        total = self.conn.execute(
            f"SELECT coalesce(sum(c.words), 0) FROM word_indexed c{clause}", params).fetchone()[0]
        return rows, total

    def word_counts_by_document(self) -> Iterator[tuple[int, str, str, int]]:
        """(document id, term, lang, n) for every indexed document: keyness tables are built from it."""
        yield from self.conn.execute(
            "SELECT c.document_id, t.term, t.lang, c.n FROM word_document_counts c "
            "JOIN word_terms t ON t.id = c.term_id")

    def words_per_document(self) -> dict[int, int]:
        return dict(self.conn.execute("SELECT document_id, words FROM word_indexed"))

    def term_positions(self, term: str, lang: str, document_ids: Iterable[int] | None = None
                       ) -> list[tuple[int, int, str | None, bytes]]:
        """(document id, turn id, speaker, packed spans) of every turn holding `term` as a whole word."""
        rows = self.conn.execute(
            "SELECT t.document_id, p.turn_id, t.speaker, p.spans FROM word_terms w "
            "JOIN word_positions p ON p.term_id = w.id JOIN turns t ON t.id = p.turn_id "
            "WHERE w.term = ? AND w.lang = ?", [term, lang]).fetchall()
        if document_ids is not None:
            wanted = set(document_ids)
            rows = [row for row in rows if row[0] in wanted]
        return rows

    def document_positions(self, document_id: int) -> list[tuple[str, str, bytes]]:
        """(term, lang, packed spans) of every indexed word of one document, for themes without re-segmenting."""
        return self.conn.execute(
            "SELECT w.term, w.lang, p.spans FROM turns t JOIN word_positions p ON p.turn_id = t.id "
            "JOIN word_terms w ON w.id = p.term_id WHERE t.document_id = ?", [document_id]).fetchall()

    def turn_rows(self) -> list[tuple[int, int, int, int, str | None, str | None]]:
        """(turn id, document id, start, end, speaker, lang) of every turn, in document order."""
        return self.conn.execute(
            'SELECT id, document_id, start, "end", speaker, lang FROM turns ORDER BY document_id, start').fetchall()

    def word_langs(self) -> list[str]:
        """The languages of the indexed words (zh, en, fr...)."""
        return [row[0] for row in self.conn.execute("SELECT DISTINCT lang FROM word_terms ORDER BY lang")]

    # ------------------------------------------------------------ stop words
    def stopwords(self) -> list[str]:
        """The project's own stop words, sorted."""
        return [row[0] for row in self.conn.execute("SELECT term FROM stopwords ORDER BY term")]

    def add_stopwords(self, terms: Iterable[str], coder: str | None = None) -> list[str]:
        """Add words (call inside `transaction()`); returns those that were new."""
        known = set(self.stopwords())
        added = [t for t in dict.fromkeys(terms) if t not in known]
        coder_id = self.coder_id(coder) if coder else None
        self.conn.executemany("INSERT INTO stopwords (term, added_at, coder_id) VALUES (?, ?, ?)",
                              [(t, now(), coder_id) for t in added])
        return added

    def remove_stopwords(self, terms: Iterable[str]) -> list[str]:
        """Remove words (call inside `transaction()`); returns those that were there."""
        known = set(self.stopwords())
        gone = [t for t in dict.fromkeys(terms) if t in known]
        self.conn.executemany("DELETE FROM stopwords WHERE term = ?", [(t,) for t in gone])
        return gone
