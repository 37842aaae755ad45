"""The project file's schema, as migrations applied in order when a project opens."""

from __future__ import annotations

import uuid

from ._lean import import_sqlite_utils

import_sqlite_utils()  # before anything else imports it: sqlite-utils without numpy

import sqlite_utils  # noqa: E402

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
def m002_identity(db: sqlite_utils.Database) -> None:
    """Identity: guids, ids never reused, deletions remembered, who changed what and when,
    memos tied to what they annotate by real foreign keys.

    SQLite adds AUTOINCREMENT and foreign keys only by rebuilding a table: each is created
    anew as `<name>__m002`, filled, the old one dropped and the new one renamed. The caller runs
    this with `PRAGMA foreign_keys` off (it cannot change inside a transaction) and checks
    `PRAGMA foreign_key_check` before committing; `legacy_alter_table` keeps the renames from
    rewriting other tables' references, which already name the final tables.
    """
    connection = db.conn
    connection.create_function("uuid4", 0, lambda: str(uuid.uuid4()))
    connection.execute("PRAGMA legacy_alter_table = ON")
    try:
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')
        for table, create, columns, values in _M002_REBUILDS:
            source = _M002_MEMO_SOURCE if table == "memos" else table
            connection.execute(create.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {table}__m002 (", 1))
            connection.execute(f"INSERT INTO {table}__m002 ({columns}) SELECT {values} FROM {source}")
            connection.execute(f"DROP TABLE {table}")
            connection.execute(f"ALTER TABLE {table}__m002 RENAME TO {table}")
    finally:
        connection.execute("PRAGMA legacy_alter_table = OFF")
    for statement in _M002_AFTER.split(";\n"):
        if statement.strip():
            connection.execute(statement)


_M002_REBUILDS = [
    ("coders", """CREATE TABLE coders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT
    )""", "id, guid, name, created_at", "id, uuid4(), name, created_at"),
    ("cases", """CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE
    )""", "id, guid, name", "id, uuid4(), name"),
    ("documents", """CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        lang TEXT NOT NULL,
        encoding TEXT NOT NULL,
        format TEXT NOT NULL,
        source_path TEXT,
        text TEXT NOT NULL,
        chars INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL
    )""", "id, guid, name, sha256, lang, encoding, format, source_path, text, chars, imported_at, case_id",
        "id, coalesce(guid, uuid4()), name, sha256, lang, encoding, format, source_path, text, chars, "
        "imported_at, case_id"),
    ("codes", """CREATE TABLE codes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
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
        updated_at TEXT,
        updated_by INTEGER REFERENCES coders(id),
        CHECK (name <> '')
    )""", "id, guid, parent_id, name, name_zh, definition, include, exclude, examples, color, keywords_en, "
        "keywords_zh, position",
        "id, coalesce(guid, uuid4()), parent_id, name, name_zh, definition, include, exclude, examples, "
        "color, keywords_en, keywords_zh, position"),
    ("codings", """CREATE TABLE codings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        coder_id INTEGER REFERENCES coders(id),
        origin TEXT NOT NULL DEFAULT 'manual',
        created_at TEXT NOT NULL,
        updated_at TEXT,
        updated_by INTEGER REFERENCES coders(id),
        text TEXT,
        CHECK (start >= 0 AND "end" > start),
        CHECK (origin IN ('manual', 'suggestion', 'keyword', 'theme', 'import'))
    )""", 'id, guid, document_id, code_id, start, "end", coder_id, origin, created_at, updated_at, updated_by, text',
        'id, coalesce(guid, uuid4()), document_id, code_id, start, "end", coder_id, origin, created_at, '
        "created_at, coder_id, text"),
    # A memo on something that is gone (its coding removed, its id perhaps handed to another
    # coding since) cannot be tied to it: it is kept as a project memo that says what it was on.
    ("memos", """CREATE TABLE memos (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        target TEXT NOT NULL CHECK (target IN ('project', 'document', 'code', 'coding', 'case')),
        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
        code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
        coding_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
        case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
        coder_id INTEGER REFERENCES coders(id),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        updated_by INTEGER REFERENCES coders(id),
        CHECK ((document_id IS NOT NULL) + (code_id IS NOT NULL) + (coding_id IS NOT NULL)
               + (case_id IS NOT NULL) = (target <> 'project')),
        CHECK (target <> 'document' OR document_id IS NOT NULL),
        CHECK (target <> 'code' OR code_id IS NOT NULL),
        CHECK (target <> 'coding' OR coding_id IS NOT NULL),
        CHECK (target <> 'case' OR case_id IS NOT NULL)
    )""", "id, guid, target, document_id, code_id, coding_id, case_id, coder_id, text, created_at, updated_at, "
        "updated_by",
        "id, uuid4(), CASE WHEN m.found THEN m.target ELSE 'project' END, "
        "CASE WHEN m.found AND m.target = 'document' THEN m.target_id END, "
        "CASE WHEN m.found AND m.target = 'code' THEN m.target_id END, "
        "CASE WHEN m.found AND m.target = 'coding' THEN m.target_id END, "
        "CASE WHEN m.found AND m.target = 'case' THEN m.target_id END, coder_id, "
        "CASE WHEN m.found THEN m.text ELSE '(on ' || m.target || ' ' || coalesce(m.target_id, '?') "
        "|| ', which no longer exists) ' || m.text END, created_at, created_at, coder_id"),
    ("suggestions", """CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        score REAL,
        method TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        decided_by INTEGER REFERENCES coders(id),
        decided_at TEXT
    )""", 'id, guid, document_id, code_id, start, "end", score, method, status, decided_by, decided_at',
        'id, uuid4(), document_id, code_id, start, "end", score, method, status, decided_by, decided_at'),
]
# Each memo with whether what it is on still exists.
_M002_MEMO_SOURCE = """(SELECT memos.*, CASE target
    WHEN 'project' THEN 1
    WHEN 'document' THEN EXISTS (SELECT 1 FROM documents WHERE id = memos.target_id)
    WHEN 'code' THEN EXISTS (SELECT 1 FROM codes WHERE id = memos.target_id)
    WHEN 'coding' THEN EXISTS (SELECT 1 FROM codings WHERE id = memos.target_id)
    WHEN 'case' THEN EXISTS (SELECT 1 FROM cases WHERE id = memos.target_id)
    END AS found FROM memos) AS m"""

_M002_AFTER = """
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE TRIGGER documents_text_is_immutable BEFORE UPDATE OF text ON documents
BEGIN SELECT RAISE(ABORT, 'a document''s text never changes after import'); END;
CREATE UNIQUE INDEX codes_sibling_names ON codes(coalesce(parent_id, 0), name);
CREATE TRIGGER codes_no_cycle_on_update BEFORE UPDATE OF parent_id ON codes
WHEN NEW.parent_id IS NOT NULL AND (NEW.parent_id = NEW.id OR EXISTS (
    WITH RECURSIVE up(id) AS (
        SELECT NEW.parent_id
        UNION SELECT c.parent_id FROM codes c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL
    ) SELECT 1 FROM up WHERE up.id = NEW.id))
BEGIN SELECT RAISE(ABORT, 'a code cannot be moved under itself or its sub-codes'); END;
CREATE TRIGGER codes_no_cycle_on_insert BEFORE INSERT ON codes
WHEN NEW.parent_id IS NOT NULL AND NEW.parent_id = NEW.id
BEGIN SELECT RAISE(ABORT, 'a code cannot be moved under itself or its sub-codes'); END;
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
CREATE INDEX memos_document ON memos(document_id) WHERE document_id IS NOT NULL;
CREATE INDEX memos_code ON memos(code_id) WHERE code_id IS NOT NULL;
CREATE INDEX memos_coding ON memos(coding_id) WHERE coding_id IS NOT NULL;
CREATE INDEX memos_case ON memos(case_id) WHERE case_id IS NOT NULL;
CREATE TABLE deletions (
    guid TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('document', 'code', 'coding', 'memo', 'case')),
    deleted_at TEXT NOT NULL,
    deleted_by INTEGER REFERENCES coders(id)
);
CREATE INDEX deletions_kind ON deletions(kind, deleted_at)
""" + "".join(
    # What is deleted, by the workbench, by a cascade or by any other SQLite program, is
    # remembered; the store adds who did it. A row that comes back (undo) is no longer deleted.
    f""";
CREATE TRIGGER {table}_remember_deletion AFTER DELETE ON {table}
BEGIN INSERT OR REPLACE INTO deletions (guid, kind, deleted_at)
    VALUES (OLD.guid, '{kind}', strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')); END;
CREATE TRIGGER {table}_forget_deletion AFTER INSERT ON {table}
BEGIN DELETE FROM deletions WHERE guid = NEW.guid; END"""
    for table, kind in (("documents", "document"), ("codes", "code"), ("codings", "coding"),
                        ("memos", "memo"), ("cases", "case"))
)


@migrations()
def m003_export(db: sqlite_utils.Database) -> None:
    """Pseudonyms for de-identified exports, and a translation per coding for papers."""
    db.execute(
        """CREATE TABLE pseudonyms (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL UNIQUE,
            original TEXT NOT NULL UNIQUE,
            replacement TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('person', 'place', 'organisation')),
            confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
            source TEXT NOT NULL DEFAULT 'manual',
            created_at TEXT NOT NULL,
            CHECK (original <> '')
        )"""
    )
    db.execute(
        """CREATE TABLE translations (
            coding_id INTEGER PRIMARY KEY REFERENCES codings(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'en',
            updated_at TEXT NOT NULL
        )"""
    )


@migrations()
def m004_import_warnings(db: sqlite_utils.Database) -> None:
    """A document keeps the doubt its import raised (a guessed encoding), for `documents` to show."""
    if "import_warning" not in db["documents"].columns_dict:
        db.execute("ALTER TABLE documents ADD COLUMN import_warning TEXT")


@migrations()
def m005_suggestions(db: sqlite_utils.Database) -> None:
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


@migrations()
def m006_merges(db: sqlite_utils.Database) -> None:
    """The record of project merges: which project came in, when, by whom, and what it brought."""
    db.execute(
        """
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            source_guid TEXT,
            source_name TEXT,
            at TEXT NOT NULL,
            by TEXT,
            summary TEXT
        )
        """
    )
    db.execute("CREATE INDEX merges_source ON merges(source_guid)")


@migrations()
def m007_themes(db: sqlite_utils.Database) -> None:
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


@migrations()
def m008_document_text_last(db: sqlite_utils.Database) -> None:
    """A document's text moves to the end of its row; codings get their text from the store.

    SQLite reads a row's columns in order, so every column stored after a long text (`chars`,
    the date, the case) made a lookup walk the text's overflow pages, and the trigger that
    sliced a coding's text out of the document walked its UTF-8 from the start: applying one
    coding in a 2 M-character document took over 10 ms. The store now passes the text in; the
    triggers fill it only for rows written without it (by sqlite-utils or another program).
    """
    connection = db.conn
    # Keep `text` last: ALTER TABLE ADD COLUMN appends after it, so a later migration that adds
    # a document column rebuilds the table instead, as this one does.
    columns = ("id, guid, name, sha256, lang, encoding, format, source_path, chars, imported_at, case_id, "
               "import_warning, text")
    connection.execute("PRAGMA legacy_alter_table = ON")
    try:
        connection.execute("""CREATE TABLE documents__m008 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            lang TEXT NOT NULL,
            encoding TEXT NOT NULL,
            format TEXT NOT NULL,
            source_path TEXT,
            chars INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
            import_warning TEXT,
            text TEXT NOT NULL
        )""")
        connection.execute(f"INSERT INTO documents__m008 ({columns}) SELECT {columns} FROM documents")
        connection.execute("DROP TABLE documents")
        connection.execute("ALTER TABLE documents__m008 RENAME TO documents")
    finally:
        connection.execute("PRAGMA legacy_alter_table = OFF")
    for statement in _M008_AFTER.split(";\n"):
        if statement.strip():
            connection.execute(statement)


_M008_AFTER = """
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE TRIGGER documents_text_is_immutable BEFORE UPDATE OF text ON documents
BEGIN SELECT RAISE(ABORT, 'a document''s text never changes after import'); END;
CREATE TRIGGER documents_remember_deletion AFTER DELETE ON documents
BEGIN INSERT OR REPLACE INTO deletions (guid, kind, deleted_at)
    VALUES (OLD.guid, 'document', strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')); END;
CREATE TRIGGER documents_forget_deletion AFTER INSERT ON documents
BEGIN DELETE FROM deletions WHERE guid = NEW.guid; END;
DROP TRIGGER codings_text_on_insert;
DROP TRIGGER codings_text_on_update;
CREATE TRIGGER codings_text_on_insert AFTER INSERT ON codings WHEN NEW.text IS NULL
BEGIN UPDATE codings SET text = (SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start)
    FROM documents d WHERE d.id = NEW.document_id) WHERE id = NEW.id; END;
CREATE TRIGGER codings_text_on_update AFTER UPDATE OF start, "end", document_id ON codings
WHEN NEW.text IS OLD.text
BEGIN UPDATE codings SET text = (SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start)
    FROM documents d WHERE d.id = NEW.document_id) WHERE id = NEW.id; END
"""


@migrations()
def m009_codable(db: sqlite_utils.Database) -> None:
    """Whether a code takes codings: a folder-like code of NVivo or ATLAS.ti does not (REFI `isCodable`)."""
    if "codable" not in db["codes"].columns_dict:
        db.execute("ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1 CHECK (codable IN (0, 1))")


@migrations()
def m010_search_by_character(db: sqlite_utils.Database) -> None:
    """Chinese in the search index character by character instead of by jieba word (issue 13):
    search looks a word up as the phrase of its characters; turns without Han are unchanged."""
    from ..text.segment import has_han, index_body

    rows = db.execute(
        'SELECT s.rowid, substr(d.text, t.start + 1, t."end" - t.start) FROM search s '
        "JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = t.document_id"
    ).fetchall()
    db.conn.executemany("UPDATE search SET body = ? WHERE rowid = ?",
                        [(index_body(text), rowid) for rowid, text in rows if text and has_han(text)])


@migrations()
def m011_forget_deletion_on_guid(db: sqlite_utils.Database) -> None:
    """A row that takes a deleted guid (a re-imported document keeps its old one) is that object
    again, not a deleted one: the schema forgets the deletion, as it does on insert (issue 20)."""
    for table in ("documents", "codes", "codings", "memos", "cases"):
        db.execute(f"DROP TRIGGER IF EXISTS {table}_forget_deletion_on_guid")
        db.execute(f"CREATE TRIGGER {table}_forget_deletion_on_guid AFTER UPDATE OF guid ON {table} "
                   "WHEN NEW.guid IS NOT NULL BEGIN DELETE FROM deletions WHERE guid = NEW.guid; END")


@migrations()
def m015_stopwords_and_sessions(db: sqlite_utils.Database) -> None:
    """A project's own stop words, added to the built-in lists (issue 19); and the session that wrote each
    event, so that a view knows its own changes from another coder's (issue 22)."""
    if "stopwords" not in db.table_names():
        db.execute("CREATE TABLE stopwords (term TEXT PRIMARY KEY, added_at TEXT NOT NULL, "
                   "coder_id INTEGER REFERENCES coders(id))")
    if "session" not in db["events"].columns_dict:
        db.execute("ALTER TABLE events ADD COLUMN session TEXT")


@migrations()
def m017_code_undelete(db: sqlite_utils.Database) -> None:
    """A deleted code put back is logged as 'code undelete' (issue 24): 'code restore' also named a
    removed coding put back. Its entries hold the restored codes' names; a coding's hold its id."""
    db.execute("UPDATE events SET action = 'code undelete' WHERE action = 'code restore' "
               "AND CASE WHEN json_valid(detail) THEN json_extract(detail, '$.codes') END IS NOT NULL")


@migrations()
def m025_coding_speaker(db: sqlite_utils.Database) -> None:
    """A coding keeps the speaker of the turn holding its start, as it keeps its text (issue 24).

    Retrieval looked it up per coding (the first turn of the document ending after the coding's
    start): half its query's time. Triggers keep the copy right whatever writes a coding or a
    turn (import, merge, undo, another program): a coding gets its speaker when it is made or
    moved; a turn added, removed, renamed or moved refreshes the codings whose lookup it can
    change, those starting between the end of the turn before it and its own end. The column
    comes after `text`: only retrieval reads it, and it reads the text too.
    """
    if "speaker" not in db["codings"].columns_dict:
        db.execute("ALTER TABLE codings ADD COLUMN speaker TEXT")
    for statement in _M025_TRIGGERS.split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"UPDATE codings SET speaker = {_speaker_at('codings.document_id', 'codings.start')}")
    # What retrieval reads, in indexes it reads alone: the codings of a code with their text (a
    # second copy of the coded words: the row lookups behind the old index were a fifth of the
    # query), and the documents by name with their case (a document's row sits among the pages
    # of its text: listing the names read a thousand pages).
    db.execute('CREATE INDEX IF NOT EXISTS codings_retrieval ON codings(code_id, document_id, start, "end", '
               "coder_id, speaker, text)")
    db.execute("CREATE INDEX IF NOT EXISTS documents_name_case ON documents(name, case_id)")


def _speaker_at(document: str, start: str) -> str:
    """SQL for the speaker of the turn holding a position: the first turn ending after it."""
    return (f'(SELECT t.speaker FROM turns t WHERE t.document_id = {document} AND t."end" > {start} '
            'ORDER BY t."end" LIMIT 1)')


def _refresh_codings_near(turn: str) -> str:
    """SQL refreshing the speaker of the codings the turn `turn` (NEW or OLD) holds or held."""
    return (f"UPDATE codings SET speaker = {_speaker_at('codings.document_id', 'codings.start')} "
            f'WHERE document_id = {turn}.document_id AND start < {turn}."end" AND start >= coalesce('
            f'(SELECT max(t."end") FROM turns t WHERE t.document_id = {turn}.document_id '
            f'AND t."end" < {turn}."end" AND t.id <> {turn}.id), 0)')


_M025_TRIGGERS = f"""
DROP TRIGGER IF EXISTS codings_speaker_on_insert;
DROP TRIGGER IF EXISTS codings_speaker_on_update;
DROP TRIGGER IF EXISTS turns_speaker_on_insert;
DROP TRIGGER IF EXISTS turns_speaker_on_delete;
DROP TRIGGER IF EXISTS turns_speaker_on_update;
CREATE TRIGGER codings_speaker_on_insert AFTER INSERT ON codings
BEGIN UPDATE codings SET speaker = {_speaker_at("NEW.document_id", "NEW.start")} WHERE id = NEW.id; END;
CREATE TRIGGER codings_speaker_on_update AFTER UPDATE OF start, document_id ON codings
BEGIN UPDATE codings SET speaker = {_speaker_at("NEW.document_id", "NEW.start")} WHERE id = NEW.id; END;
CREATE TRIGGER turns_speaker_on_insert AFTER INSERT ON turns
WHEN EXISTS (SELECT 1 FROM codings WHERE document_id = NEW.document_id)
BEGIN {_refresh_codings_near("NEW")}; END;
CREATE TRIGGER turns_speaker_on_delete AFTER DELETE ON turns
WHEN EXISTS (SELECT 1 FROM codings WHERE document_id = OLD.document_id)
BEGIN {_refresh_codings_near("OLD")}; END;
CREATE TRIGGER turns_speaker_on_update AFTER UPDATE OF document_id, speaker, "end" ON turns
BEGIN {_refresh_codings_near("OLD")}; {_refresh_codings_near("NEW")}; END
"""


MIGRATION_COUNT = len(migrations._migrations)  # store.SCHEMA_VERSION must equal it
