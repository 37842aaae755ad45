"""The project file's schema, as migrations applied in order when a project opens."""

from __future__ import annotations

import sqlite_utils

migrations = sqlite_utils.Migrations("workbench")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    for statement in _INITIAL_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


_INITIAL_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE coders (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT);
CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE attributes (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (case_id, name)
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    lang TEXT NOT NULL,
    encoding TEXT NOT NULL,
    format TEXT NOT NULL,
    source_path TEXT,
    text TEXT NOT NULL,
    chars INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    guid TEXT
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE TRIGGER documents_text_is_immutable BEFORE UPDATE OF text ON documents
BEGIN SELECT RAISE(ABORT, 'a document''s text never changes after import'); END;
CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    speaker TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    lang TEXT,
    t_start_ms INTEGER,
    t_end_ms INTEGER,
    CHECK (start >= 0 AND "end" >= start)
);
CREATE INDEX turns_document_start ON turns(document_id, start);
CREATE INDEX turns_document_end ON turns(document_id, "end");
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    name_zh TEXT,
    definition TEXT,
    include TEXT,
    exclude TEXT,
    examples TEXT,
    color TEXT,
    keywords_en TEXT,
    keywords_zh TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    guid TEXT,
    CHECK (name <> '')
);
CREATE UNIQUE INDEX codes_sibling_names ON codes(coalesce(parent_id, 0), name);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    coder_id INTEGER REFERENCES coders(id),
    origin TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL,
    guid TEXT,
    text TEXT,
    CHECK (start >= 0 AND "end" > start),
    CHECK (origin IN ('manual', 'suggestion', 'keyword', 'theme', 'import'))
);
CREATE TRIGGER codings_within_document BEFORE INSERT ON codings
WHEN NEW."end" > (SELECT chars FROM documents WHERE id = NEW.document_id)
BEGIN SELECT RAISE(ABORT, 'a coding must lie within its document'); END;
CREATE TRIGGER codings_text_on_insert AFTER INSERT ON codings
BEGIN UPDATE codings SET text = (SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start)
    FROM documents d WHERE d.id = NEW.document_id) WHERE id = NEW.id; END;
CREATE TRIGGER codings_text_on_update AFTER UPDATE OF start, "end", document_id ON codings
BEGIN UPDATE codings SET text = (SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start)
    FROM documents d WHERE d.id = NEW.document_id) WHERE id = NEW.id; END;
CREATE INDEX codings_code ON codings(code_id, document_id, start);
CREATE INDEX codings_document ON codings(document_id, start);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL CHECK (target IN ('project', 'document', 'code', 'coding', 'case')),
    target_id INTEGER,
    coder_id INTEGER REFERENCES coders(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX memos_target ON memos(target, target_id);
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    score REAL,
    method TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_by INTEGER REFERENCES coders(id),
    decided_at TEXT
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    coder_id INTEGER REFERENCES coders(id),
    action TEXT NOT NULL,
    detail TEXT
);
CREATE VIRTUAL TABLE search USING fts5(
    body, turn_id UNINDEXED, document_id UNINDEXED, tokenize = 'porter unicode61'
)
"""

@migrations()
def m004_themes(db: sqlite_utils.Database) -> None:
    """Theme runs with their parameters and members, and the per-turn word index (counts and token
    positions, document offsets as uint32 start/end pairs) for `words`, `kwic` and `themes`."""
    for statement in _THEMES_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


_THEMES_SCHEMA = """
CREATE TABLE theme_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    unit TEXT NOT NULL,
    scope TEXT NOT NULL,
    k INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    method TEXT NOT NULL,
    model TEXT,
    parameters TEXT NOT NULL,
    created_at TEXT NOT NULL,
    coder_id INTEGER REFERENCES coders(id)
);
CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    run_id INTEGER NOT NULL REFERENCES theme_runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    terms TEXT NOT NULL,
    languages TEXT NOT NULL,
    documents TEXT NOT NULL,
    cases TEXT NOT NULL,
    code_id INTEGER REFERENCES codes(id) ON DELETE SET NULL,
    promoted_at TEXT
);
CREATE INDEX themes_run ON themes(run_id, position);
CREATE TABLE theme_members (
    theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    score REAL NOT NULL,
    representative INTEGER,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX theme_members_theme ON theme_members(theme_id, score);
CREATE TABLE word_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL,
    lang TEXT NOT NULL,
    UNIQUE (term, lang)
);
CREATE TABLE word_document_counts (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES word_terms(id),
    n INTEGER NOT NULL,
    PRIMARY KEY (document_id, term_id)
) WITHOUT ROWID;
CREATE TABLE word_positions (
    term_id INTEGER NOT NULL REFERENCES word_terms(id),
    turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
    spans BLOB NOT NULL,
    PRIMARY KEY (term_id, turn_id)
) WITHOUT ROWID;
CREATE INDEX word_positions_turn ON word_positions(turn_id);
CREATE TABLE word_indexed (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    words INTEGER NOT NULL,
    version TEXT NOT NULL,
    indexed_at TEXT NOT NULL
)
"""


SCHEMA_VERSION = len(migrations._migrations)
