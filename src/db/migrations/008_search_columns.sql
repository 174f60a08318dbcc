-- Search that reads what people wrote. A document is stored as its metadata header, a blank line,
-- and its body (the prose); header_chars says where the body starts. Lexical search indexes three
-- columns (title, header, body) so bm25 can weigh them apart and snippets come from the body only;
-- embeddings are computed from the title and the body. Applies on the schema of 002 and after a
-- migration that reworked the old two-column index: both end with this table and these triggers.

ALTER TABLE documents ADD COLUMN header_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN lexical_header TEXT
  GENERATED ALWAYS AS (substr(content, 1, header_chars)) VIRTUAL;
ALTER TABLE documents ADD COLUMN lexical_body TEXT
  GENERATED ALWAYS AS (substr(content, header_chars + 1)) VIRTUAL;

DROP TRIGGER IF EXISTS documents_fts_insert;
DROP TRIGGER IF EXISTS documents_fts_delete;
DROP TRIGGER IF EXISTS documents_fts_update;
DROP TABLE IF EXISTS documents_fts;

-- The title column is 007's indexed_title: a thread carries its parent's title for display, but only
-- the issue or MR itself is indexed under it (a title match should point at the entity first); the
-- thread's header names the parent. External content: the index reads its columns back from documents' generated columns, so what
-- the triggers index is by construction what the content table holds (FTS5's integrity-check).
CREATE VIRTUAL TABLE documents_fts USING fts5(
  indexed_title,
  lexical_header,
  lexical_body,
  content = 'documents',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, indexed_title, lexical_header, lexical_body)
  VALUES (new.id, new.indexed_title, new.lexical_header, new.lexical_body);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, indexed_title, lexical_header, lexical_body)
  VALUES ('delete', old.id, old.indexed_title, old.lexical_header, old.lexical_body);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, content, header_chars, source_type ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, indexed_title, lexical_header, lexical_body)
  VALUES ('delete', old.id, old.indexed_title, old.lexical_header, old.lexical_body);
  INSERT INTO documents_fts (rowid, indexed_title, lexical_header, lexical_body)
  VALUES (new.id, new.indexed_title, new.lexical_header, new.lexical_body);
END;

INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

-- Existing documents keep working (all text counts as body) until the next sync re-renders them
-- in the new layout: every source is queued, and no stored hash matches, so each is rewritten.
INSERT OR IGNORE INTO dirty_sources (source_type, source_id, queued_at)
  SELECT source_type, source_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM documents;
UPDATE documents SET content_hash = '';

-- Embeddings were computed from text with the header, and their index was binary-quantised. Both
-- go: vectors are kept once, full precision, in the exact index created when the first new vector
-- tells its dimension (the old index table is dropped there, where its module is loaded). The
-- next sync (or lore embed) embeds every document again.
DROP TRIGGER IF EXISTS embedding_chunks_delete_vectors;
DELETE FROM document_embeddings;
DELETE FROM embedding_meta;
DROP TABLE embedding_chunks;
CREATE TABLE embedding_chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  embedded_at TEXT NOT NULL,
  UNIQUE (document_id, chunk_index)
);
