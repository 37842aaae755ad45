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
def m003_suggestions(db: sqlite_utils.Database) -> None:
    """Suggestions with provenance: runs, code guids that outlive the code, links to codings, embeddings.

    The m001 `suggestions` table never held data (no engine wrote it), so it is rebuilt.
    """
    for statement in _SUGGESTIONS_SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)


_SUGGESTIONS_SCHEMA = """
DROP TABLE IF EXISTS suggestions;
CREATE TABLE suggestion_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL,
    model TEXT,
    parameters TEXT,
    seed INTEGER,
    training_hash TEXT,
    created_at TEXT NOT NULL,
    coder_id INTEGER REFERENCES coders(id)
);
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    run_id INTEGER REFERENCES suggestion_runs(id),
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER REFERENCES codes(id) ON DELETE SET NULL,
    code_guid TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT,
    score REAL,
    method TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_by INTEGER REFERENCES coders(id),
    decided_at TEXT,
    coding_id INTEGER REFERENCES codings(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX suggestions_document ON suggestions(document_id, status, start);
CREATE INDEX suggestions_span ON suggestions(document_id, start, "end", code_guid);
CREATE INDEX suggestions_code ON suggestions(code_id);
CREATE INDEX suggestions_coding ON suggestions(coding_id);
CREATE TABLE embeddings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    created_at TEXT NOT NULL
)
"""


SCHEMA_VERSION = len(migrations._migrations)
