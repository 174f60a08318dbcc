-- The full-text index must hold exactly what its content table holds, or FTS5's own
-- integrity-check reports every database as corrupt and real damage cannot be told apart. A thread
-- is indexed without its parent's title (a title match should point at the entity first), so that
-- choice now lives in the content table as a generated column the index reads, not in triggers.

ALTER TABLE documents ADD COLUMN indexed_title TEXT
  GENERATED ALWAYS AS (CASE WHEN source_type = 'discussion' THEN '' ELSE title END) VIRTUAL;

DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER documents_fts_update;
DROP TABLE documents_fts;

CREATE VIRTUAL TABLE documents_fts USING fts5(
  indexed_title,
  content,
  content = 'documents',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, indexed_title, content) VALUES (new.id, new.indexed_title, new.content);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, indexed_title, content)
  VALUES ('delete', old.id, old.indexed_title, old.content);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF source_type, title, content ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, indexed_title, content)
  VALUES ('delete', old.id, old.indexed_title, old.content);
  INSERT INTO documents_fts (rowid, indexed_title, content) VALUES (new.id, new.indexed_title, new.content);
END;

INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
