-- Embeddings: chunks of each document keyed by (document, chunk index) with the hash of their text,
-- the model and the full float32 vector; the model and dimension this database embeds with; and
-- which documents have a current embedding. The nearest-neighbour index (binary-quantised vectors
-- in a sqlite-vec table) is created at run time, when the first vector tells the dimension.

CREATE TABLE embedding_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  model TEXT NOT NULL,
  dimension INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE embedding_chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  vector BLOB NOT NULL,
  embedded_at TEXT NOT NULL,
  UNIQUE (document_id, chunk_index)
);

-- A document's embedding is current when content_hash and model match the document and the meta.
CREATE TABLE document_embeddings (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  chunks INTEGER NOT NULL,
  embedded_at TEXT NOT NULL
);
