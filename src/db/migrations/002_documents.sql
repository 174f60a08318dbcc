-- Search documents: one per issue, per MR, and per discussion thread with a non-system note.
-- A discussion document carries its parent's project, iid, title and state so search results and
-- filters need no join; labels are read through the parent's link table.

CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source_type TEXT NOT NULL CHECK (source_type IN ('issue', 'merge_request', 'discussion')),
  source_id TEXT NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  parent_type TEXT NOT NULL CHECK (parent_type IN ('issue', 'merge_request')),
  parent_id INTEGER NOT NULL,
  iid INTEGER NOT NULL,
  title TEXT NOT NULL,
  state TEXT,
  author_username TEXT,
  created_at TEXT,
  updated_at TEXT NOT NULL,
  web_url TEXT,
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  UNIQUE (source_type, source_id)
);
CREATE INDEX documents_parent ON documents (parent_type, parent_id);
CREATE INDEX documents_project_updated ON documents (project_id, updated_at);
CREATE INDEX documents_author ON documents (author_username);

CREATE VIRTUAL TABLE documents_fts USING fts5(
  title,
  content,
  content = 'documents',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

-- A thread carries its parent's title for display, but only the issue or MR itself is indexed
-- under it (weighted above content): a title match should point at the entity first. The thread's
-- text still names its parent, so it is found by the title's words too, ranked as content.
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, title, content)
  VALUES (new.id, CASE WHEN new.source_type = 'discussion' THEN '' ELSE new.title END, new.content);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, content)
  VALUES ('delete', old.id, CASE WHEN old.source_type = 'discussion' THEN '' ELSE old.title END, old.content);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, content ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, content)
  VALUES ('delete', old.id, CASE WHEN old.source_type = 'discussion' THEN '' ELSE old.title END, old.content);
  INSERT INTO documents_fts (rowid, title, content)
  VALUES (new.id, CASE WHEN new.source_type = 'discussion' THEN '' ELSE new.title END, new.content);
END;

-- Entities and discussions removed by sync lose their documents (and their queue entries).
CREATE TRIGGER issues_delete_documents AFTER DELETE ON issues BEGIN
  DELETE FROM documents WHERE parent_type = 'issue' AND parent_id = old.id;
  DELETE FROM dirty_sources WHERE source_type = 'issue' AND source_id = CAST(old.id AS TEXT);
END;
CREATE TRIGGER merge_requests_delete_documents AFTER DELETE ON merge_requests BEGIN
  DELETE FROM documents WHERE parent_type = 'merge_request' AND parent_id = old.id;
  DELETE FROM dirty_sources WHERE source_type = 'merge_request' AND source_id = CAST(old.id AS TEXT);
END;
CREATE TRIGGER discussions_delete_documents AFTER DELETE ON discussions BEGIN
  DELETE FROM documents WHERE source_type = 'discussion' AND source_id = old.id;
  DELETE FROM dirty_sources WHERE source_type = 'discussion' AND source_id = old.id;
END;
