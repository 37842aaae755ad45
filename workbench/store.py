"""The project file: one SQLite database, its schema and migrations, and every query.

This is the only module that writes SQL. Everything else asks a `Project` for rows or hands
it values to keep.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .model import Case, Code, Coding, Document, Memo, Turn, WorkbenchError

APPLICATION_ID = 0x51444157  # "QDAW": marks a SQLite file as a workbench project
BUSY_TIMEOUT_S = 30.0
SQLITE_MAGIC = b"SQLite format 3\x00"

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

SCHEMA_VERSION = len(migrations._migrations)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_locked(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


@dataclass(frozen=True)
class CodeRow:
    """A code as stored, without its children: what flat listings and lookups need."""

    id: int
    parent_id: int | None
    name: str
    name_zh: str
    color: str
    position: int


class Project:
    """An open project file; the only door to its tables."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = sqlite_utils.Database(connection, execute_plugins=False)
        self.conn = connection

    # ----------------------------------------------------------------- opening
    @classmethod
    def create(cls, path: str | Path) -> Project:
        path = Path(path)
        if path.exists():
            raise WorkbenchError(f"{path}: already exists; open it instead of creating it")
        if not path.parent.exists():
            raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
        project = cls(path, _connect(path))
        project.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        project._migrate()
        with project.transaction():
            project.db["meta"].insert_all(
                [{"key": "created_at", "value": now()}, {"key": "name", "value": path.stem}],
                replace=True,
            )
            project.log("create", {"path": str(path)})
        return project

    @classmethod
    def open(cls, path: str | Path, create: bool = False) -> Project:
        path = Path(path)
        if not path.exists():
            if create:
                return cls.create(path)
            raise WorkbenchError(f"{path}: no such project file (make one with `workbench init {path}`)")
        if path.is_dir():
            raise WorkbenchError(f"{path}: is a folder, not a project file")
        with path.open("rb") as handle:
            head = handle.read(16)
        if head != SQLITE_MAGIC:
            raise WorkbenchError(f"{path}: not a workbench project (not a SQLite file)")
        connection = _connect(path)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            connection.close()
            raise WorkbenchError(f"{path}: not a workbench project ({error})") from None
        if app_id != APPLICATION_ID:
            empty = app_id == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            connection.close()
            if empty:  # `workbench init` was killed before its first commit
                raise WorkbenchError(f"{path}: an empty database, not yet a project (an interrupted "
                                     f"`workbench init`?); delete it and run `workbench init {path}` again")
            raise WorkbenchError(f"{path}: not a workbench project (a SQLite file of another program)")
        if version > SCHEMA_VERSION:
            connection.close()
            raise WorkbenchError(
                f"{path}: made by a newer workbench (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade workbench to open it"
            )
        project = cls(path, connection)
        if version < SCHEMA_VERSION:
            project._migrate()
        return project

    def _migrate(self) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        if self.conn.execute("PRAGMA user_version").fetchone()[0] > 0:
            self.before_destructive("migrate")
        # One transaction for the schema and its version, under the write lock: a crash leaves
        # the old schema, and a second process opening at once finds the work done.
        with self.transaction():
            if migrations.pending(self.db):
                migrations.apply(self.db)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def before_destructive(self, action: str) -> None:
        """Hook run before destructive work: by default a rotated backup (workbench.backup).

        A project whose `_before_destructive_hook` is set calls that instead; if the backup
        cannot be made, a WorkbenchError stops the operation before it changes anything.
        """
        hook = getattr(self, "_before_destructive_hook", None)
        if hook is None:
            from .backup import auto_backup as hook
        hook(self, action)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Project]:
        """One atomic write: `BEGIN IMMEDIATE` so concurrent writers queue instead of failing."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self._retrying(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self._retrying(lambda: self.conn.execute("COMMIT"))

    def _retrying(self, action, attempts: int = 50):
        """Run `action`, waiting out another process's lock instead of failing."""
        for attempt in range(attempts):
            try:
                return action()
            except sqlite3.OperationalError as error:
                if not _is_locked(error) or attempt == attempts - 1:
                    if _is_locked(error):
                        raise WorkbenchError(f"{self.path}: busy; another program holds it too long") from None
                    raise
                time.sleep(0.05 + random.random() * 0.1)

    def log(self, action: str, detail: dict | None = None, coder: str | None = None) -> None:
        coder_id = self.coder_id(coder) if coder else None
        self.db["events"].insert(
            {"at": now(), "coder_id": coder_id, "action": action,
             "detail": json.dumps(detail or {}, ensure_ascii=False)}
        )

    def events(self, limit: int = 100, action: str | None = None) -> list[dict]:
        if action is not None:
            return list(self.db.query(
                "SELECT * FROM events WHERE action = ? ORDER BY id DESC LIMIT ?", [action, limit]
            ))
        return list(self.db.query("SELECT * FROM events ORDER BY id DESC LIMIT ?", [limit]))

    def data_version(self) -> int:
        """A number that changes when another connection commits: a cheap 'refresh?' poll."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def last_event_id(self) -> int:
        """The newest audit-trail entry: every core write logs one, so a change shows here."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def events_since(self, event_id: int) -> list[dict]:
        """What was done after `event_id`, oldest first: what a refresh needs to redraw."""
        return list(self.db.query("SELECT * FROM events WHERE id > ? ORDER BY id", [event_id]))

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db["meta"].insert({"key": key, "value": value}, replace=True)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # ------------------------------------------------------------------ coders
    def coder_id(self, name: str) -> int:
        name = name.strip()
        if not name:
            raise WorkbenchError("a coder needs a name")
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        return self.db["coders"].insert({"name": name, "created_at": now()}).last_pk

    def coders(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM coders ORDER BY id")]

    # --------------------------------------------------------------- documents
    def add_document(
        self,
        *,
        name: str,
        text: str,
        sha256: str,
        lang: str,
        encoding: str,
        format: str,
        source_path: str,
        turns: Iterable[Turn],
        index_bodies: Iterable[str],
        case_id: int | None = None,
    ) -> int:
        """Store a document with its turns and search rows; call inside `transaction()`."""
        document_id = self.db["documents"].insert(
            {
                "name": name, "sha256": sha256, "lang": lang, "encoding": encoding,
                "format": format, "source_path": source_path, "text": text, "chars": len(text),
                "imported_at": now(), "case_id": case_id,
            }
        ).last_pk
        turn_rows = [
            (document_id, t.idx, t.speaker, t.start, t.end, t.lang, t.t_start_ms, t.t_end_ms)
            for t in turns
        ]
        cursor = self.conn.cursor()
        first_id = None
        for row in turn_rows:
            cursor.execute(
                'INSERT INTO turns (document_id, idx, speaker, start, "end", lang, t_start_ms, '
                "t_end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            if first_id is None:
                first_id = cursor.lastrowid
        if first_id is not None:
            cursor.executemany(
                "INSERT INTO search (body, turn_id, document_id) VALUES (?, ?, ?)",
                ((body, first_id + i, document_id) for i, body in enumerate(index_bodies)),
            )
        return document_id

    def document_by_sha(self, sha256: str) -> str | None:
        row = self.conn.execute("SELECT name FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def document_id(self, name: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def document(self, document_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, name, sha256, lang, encoding, source_path, text, imported_at, case_id, "
            "format FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"{self.path}: no document with id {document_id}")
        return Document(*row)

    def documents(self) -> list[dict]:
        """A summary row per document: no text, with its case and how much is coded."""
        return list(
            self.db.query(
                """
                SELECT d.id, d.name, d.lang, d.encoding, d.format, d.chars, d.case_id,
                       c.name AS "case",
                       (SELECT count(*) FROM turns t WHERE t.document_id = d.id) AS turns,
                       (SELECT count(*) FROM codings g WHERE g.document_id = d.id) AS codings
                FROM documents d LEFT JOIN cases c ON c.id = d.case_id
                ORDER BY d.name
                """
            )
        )

    def document_texts(self) -> Iterator[tuple[int, str, str]]:
        yield from self.conn.execute("SELECT id, name, text FROM documents ORDER BY id")

    def turns(self, document_id: int) -> list[Turn]:
        return [
            Turn(idx, speaker, start, end, lang or "und", t0, t1, turn_id)
            for turn_id, idx, speaker, start, end, lang, t0, t1 in self.conn.execute(
                'SELECT id, idx, speaker, start, "end", lang, t_start_ms, t_end_ms FROM turns '
                "WHERE document_id = ? ORDER BY start",
                [document_id],
            )
        ]

    def all_turns(self) -> Iterator[tuple[int, int, int, int, str | None]]:
        """(turn id, document id, start, end, speaker) for every turn."""
        yield from self.conn.execute(
            'SELECT id, document_id, start, "end", speaker FROM turns ORDER BY document_id, start'
        )

    def set_document_case(self, document_id: int, case_id: int | None) -> None:
        self.conn.execute("UPDATE documents SET case_id = ? WHERE id = ?", [case_id, document_id])

    # ------------------------------------------------------------------- cases
    def upsert_case(self, name: str, attributes: dict[str, str]) -> int:
        row = self.conn.execute("SELECT id FROM cases WHERE name = ?", [name]).fetchone()
        case_id = row[0] if row else self.db["cases"].insert({"name": name}).last_pk
        for key, value in attributes.items():
            self.conn.execute(
                "INSERT INTO attributes (case_id, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (case_id, name) DO UPDATE SET value = excluded.value",
                [case_id, key, value],
            )
        return case_id

    def cases(self) -> list[Case]:
        attributes: dict[int, dict[str, str]] = {}
        for case_id, key, value in self.conn.execute("SELECT case_id, name, value FROM attributes"):
            attributes.setdefault(case_id, {})[key] = value
        return [
            Case(case_id, name, attributes.get(case_id, {}))
            for case_id, name in self.conn.execute("SELECT id, name FROM cases ORDER BY name")
        ]

    def document_attributes(self) -> dict[int, dict[str, str]]:
        """Each document's case attributes (plus `case`), for filters and tables."""
        result: dict[int, dict[str, str]] = {}
        for document_id, case_name in self.conn.execute(
            "SELECT d.id, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        ):
            result[document_id] = {"case": case_name} if case_name else {}
        for document_id, key, value in self.conn.execute(
            "SELECT d.id, a.name, a.value FROM documents d JOIN attributes a ON a.case_id = d.case_id"
        ):
            result[document_id][key] = value
        return result

    # ------------------------------------------------------------------- codes
    def add_code(self, code: Code, parent_id: int | None, position: int | None = None) -> int:
        if position is None:
            position = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
            ).fetchone()[0]
        try:
            return self.db["codes"].insert(
                {
                    "parent_id": parent_id, "name": code.name, "name_zh": code.name_zh,
                    "definition": code.definition, "include": code.include,
                    "exclude": code.exclude,
                    "examples": json.dumps(code.examples, ensure_ascii=False),
                    "color": code.color,
                    "keywords_en": json.dumps(code.keywords_en, ensure_ascii=False),
                    "keywords_zh": json.dumps(code.keywords_zh, ensure_ascii=False),
                    "position": position,
                }
            ).last_pk
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {code.name!r}: a sibling already has that name") from None

    def update_code(self, code_id: int, **fields: object) -> None:
        allowed = {"name", "name_zh", "definition", "include", "exclude", "examples", "color",
                   "keywords_en", "keywords_zh", "parent_id", "position"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown code fields {sorted(unknown)}")
        values = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            for key, value in fields.items()
        }
        try:
            self.db["codes"].update(code_id, values)
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {fields.get('name', code_id)!r}: a sibling already has that name") from None

    def delete_code_row(self, code_id: int) -> None:
        self.conn.execute("DELETE FROM codes WHERE id = ?", [code_id])

    def restore_code_row(self, data: dict) -> int:
        """Put back a deleted code as it was (same id, or a new one if `data['id']` is None)."""
        row = dict(data)
        for key in ("examples", "keywords_en", "keywords_zh"):
            row[key] = json.dumps(row.get(key) or [], ensure_ascii=False)
        try:
            return self.db["codes"].insert(row).last_pk
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {data['name']!r}: cannot come back, a code of that name or id exists") from None

    def reassign_codings(self, source_code_id: int, target_code_id: int) -> int:
        """Move codings to another code, dropping those the target already has (same span and coder)."""
        self.conn.execute(
            'DELETE FROM codings WHERE code_id = ? AND EXISTS (SELECT 1 FROM codings t WHERE '
            't.code_id = ? AND t.document_id = codings.document_id AND t.start = codings.start AND '
            't."end" = codings."end" AND t.coder_id IS codings.coder_id)',
            [source_code_id, target_code_id],
        )
        return self.conn.execute(
            "UPDATE codings SET code_id = ? WHERE code_id = ?", [target_code_id, source_code_id]
        ).rowcount

    def code_rows(self) -> list[CodeRow]:
        return [
            CodeRow(*row)
            for row in self.conn.execute(
                "SELECT id, parent_id, name, coalesce(name_zh, ''), coalesce(color, '#888888'), "
                "position FROM codes ORDER BY position, id"
            )
        ]

    def code_tree(self) -> list[Code]:
        """The codebook as a forest of `Code` objects, siblings in their stored order."""
        nodes: dict[int, Code] = {}
        roots: list[Code] = []
        rows = self.conn.execute(
            "SELECT id, parent_id, name, name_zh, definition, include, exclude, examples, color, "
            "keywords_en, keywords_zh, position FROM codes ORDER BY position, id"
        ).fetchall()
        for (code_id, parent_id, name, name_zh, definition, include, exclude, examples, color,
             keywords_en, keywords_zh, position) in rows:
            nodes[code_id] = Code(
                name=name, name_zh=name_zh or "", definition=definition or "",
                include=include or "", exclude=exclude or "",
                examples=json.loads(examples or "[]"), color=color or "#888888",
                keywords_en=json.loads(keywords_en or "[]"),
                keywords_zh=json.loads(keywords_zh or "[]"),
                id=code_id, parent_id=parent_id, position=position,
            )
        for code in nodes.values():
            if code.parent_id is None or code.parent_id not in nodes:
                roots.append(code)
            else:
                nodes[code.parent_id].children.append(code)
        return roots

    def code_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codes").fetchone()[0]

    # ----------------------------------------------------------------- codings
    def add_coding(
        self, document_id: int, code_id: int, start: int, end: int, coder: str,
        origin: str = "manual",
    ) -> int:
        return self.db["codings"].insert(
            {
                "document_id": document_id, "code_id": code_id, "start": start, "end": end,
                "coder_id": self.coder_id(coder), "origin": origin, "created_at": now(),
            }
        ).last_pk

    def find_coding(self, document_id: int, code_id: int, start: int, end: int, coder: str) -> int | None:
        row = self.conn.execute(
            'SELECT g.id FROM codings g JOIN coders k ON k.id = g.coder_id WHERE g.document_id = ? '
            'AND g.code_id = ? AND g.start = ? AND g."end" = ? AND k.name = ?',
            [document_id, code_id, start, end, coder],
        ).fetchone()
        return row[0] if row else None

    def coding(self, coding_id: int) -> Coding | None:
        rows = self._codings("WHERE g.id = ?", [coding_id])
        return rows[0] if rows else None

    def delete_coding(self, coding_id: int) -> None:
        self.conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])

    def restore_coding(self, coding: Coding) -> None:
        """Put back a coding as it was (same id, or a new one if `coding.id` is None), e.g. for undo."""
        try:
            self.db["codings"].insert(
                {
                    "id": coding.id, "document_id": coding.document_id, "code_id": coding.code_id,
                    "start": coding.start, "end": coding.end,
                    "coder_id": self.coder_id(coding.coder) if coding.coder else None,
                    "origin": coding.origin, "created_at": coding.created_at,
                }
            )
        except sqlite3.IntegrityError:
            raise WorkbenchError(
                f"coding {coding.id} ({coding.start}–{coding.end}): cannot come back (its id is taken, or its "
                "document or code is gone)"
            ) from None

    def codings(
        self,
        code_ids: Iterable[int] | None = None,
        document_id: int | None = None,
        coders: Iterable[str] | None = None,
    ) -> list[Coding]:
        clauses, params = [], []
        if code_ids is not None:
            ids = list(code_ids)
            clauses.append(f"g.code_id IN ({','.join('?' * len(ids))})")
            params += ids
        if document_id is not None:
            clauses.append("g.document_id = ?")
            params.append(document_id)
        if coders is not None:
            names = list(coders)
            clauses.append(f"k.name IN ({','.join('?' * len(names))})")
            params += names
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._codings(where, params)

    def _codings(self, where: str, params: list) -> list[Coding]:
        return [
            Coding(*row)
            for row in self.conn.execute(
                'SELECT g.id, g.document_id, g.code_id, g.start, g."end", coalesce(k.name, \'\'), '
                f"g.origin, g.created_at FROM codings g LEFT JOIN coders k ON k.id = g.coder_id {where} "
                "ORDER BY g.document_id, g.start, g.id",
                params,
            )
        ]

    def coding_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codings").fetchone()[0]

    def segments(self, code_ids: Iterable[int], coders: Iterable[str] | None = None) -> list[dict]:
        """Every coding of these codes with its text, document, speaker and case.

        A coding's text is copied in by a trigger when it is made (document text never changes):
        slicing 10 MB of documents per retrieval was most of its time.
        """
        ids = list(code_ids)
        if not ids:
            return []
        params: list = list(ids)
        coder_clause = ""
        if coders is not None:
            names = list(coders)
            coder_clause = f" AND k.name IN ({','.join('?' * len(names))})"
            params += names
        return list(
            self.db.query(
                f"""
                SELECT g.id AS coding_id, g.document_id, d.name AS document, g.start, g."end",
                       g.text,
                       (SELECT t.speaker FROM turns t WHERE t.document_id = g.document_id
                          AND t."end" > g.start ORDER BY t."end" LIMIT 1) AS speaker,
                       c.name AS "case", code.name AS code, k.name AS coder, g.origin
                FROM codings g
                JOIN documents d ON d.id = g.document_id
                JOIN codes code ON code.id = g.code_id
                LEFT JOIN cases c ON c.id = d.case_id
                LEFT JOIN coders k ON k.id = g.coder_id
                WHERE g.code_id IN ({','.join('?' * len(ids))}){coder_clause}
                ORDER BY d.name, g.start
                """,
                params,
            )
        )

    def slice(self, document_id: int, start: int, end: int) -> str:
        row = self.conn.execute(
            "SELECT substr(text, ? + 1, ?) FROM documents WHERE id = ?",
            [start, end - start, document_id],
        ).fetchone()
        return row[0] if row else ""

    def document_length(self, document_id: int) -> int | None:
        row = self.conn.execute("SELECT chars FROM documents WHERE id = ?", [document_id]).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------- memos
    def add_memo(self, target: str, target_id: int | None, text: str, coder: str | None) -> int:
        return self.db["memos"].insert(
            {
                "target": target, "target_id": target_id,
                "coder_id": self.coder_id(coder) if coder else None,
                "text": text, "created_at": now(),
            }
        ).last_pk

    def memos(self, target: str | None = None, target_id: int | None = None) -> list[Memo]:
        clauses, params = [], []
        if target is not None:
            clauses.append("m.target = ?")
            params.append(target)
        if target_id is not None:
            clauses.append("m.target_id = ?")
            params.append(target_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return [
            Memo(*row)
            for row in self.conn.execute(
                "SELECT m.id, m.target, m.target_id, k.name, m.text, m.created_at FROM memos m "
                f"LEFT JOIN coders k ON k.id = m.coder_id {where} ORDER BY m.id",
                params,
            )
        ]

    def update_memo(self, memo_id: int, text: str) -> None:
        self.conn.execute("UPDATE memos SET text = ? WHERE id = ?", [text, memo_id])

    def delete_memo(self, memo_id: int) -> None:
        self.conn.execute("DELETE FROM memos WHERE id = ?", [memo_id])

    # ------------------------------------------------------------------ search
    def search_turns(self, fts_query: str, limit: int = 1000) -> list[tuple[int, int]]:
        """(turn id, document id) of turns matching an FTS5 query, best first."""
        try:
            return [
                (int(turn_id), int(document_id))
                for turn_id, document_id in self.conn.execute(
                    "SELECT turn_id, document_id FROM search WHERE search MATCH ? ORDER BY rank "
                    "LIMIT ?",
                    [fts_query, limit],
                )
            ]
        except sqlite3.OperationalError as error:
            raise WorkbenchError(f"search: cannot read {fts_query!r} ({error})") from None

    def turn(self, turn_id: int) -> tuple[int, int, int, str | None] | None:
        """(document id, start, end, speaker) of one turn."""
        return self.conn.execute(
            'SELECT document_id, start, "end", speaker FROM turns WHERE id = ?', [turn_id]
        ).fetchone()


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    try:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.DatabaseError as error:
        connection.close()
        raise WorkbenchError(f"{path}: not a workbench project ({error})") from None
    if mode.lower() != "wal":
        connection.close()
        raise WorkbenchError(f"{path}: cannot switch the project to WAL mode (got {mode})")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection
