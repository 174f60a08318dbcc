-- A token that changes whenever the set of embedded chunks changes: lore's vector index file beside
-- the database (src/embedding/vector-index/) records the token it was built from, and a reader
-- trusts the file only while the token is still the same. The token is random rather than counted
-- so that a database made anew (lore sync --recover moving a damaged one aside, a deleted file, a
-- copy written apart from the original) never repeats one an old file was built from. Triggers on
-- embedding_chunks catch every path that adds or removes a vector (each vector is written with its
-- chunk, and deleting a chunk deletes its vector): the embed pipeline, lore embed --all, deleted
-- documents, project purges. A migration that rebuilds embedding_chunks must recreate them.
CREATE TABLE vector_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token INTEGER NOT NULL
);
INSERT INTO vector_generation (id, token) VALUES (1, random());

CREATE TRIGGER embedding_chunks_insert_generation AFTER INSERT ON embedding_chunks BEGIN
  UPDATE vector_generation SET token = random() WHERE id = 1;
END;
CREATE TRIGGER embedding_chunks_delete_generation AFTER DELETE ON embedding_chunks BEGIN
  UPDATE vector_generation SET token = random() WHERE id = 1;
END;
CREATE TRIGGER embedding_chunks_update_generation AFTER UPDATE ON embedding_chunks BEGIN
  UPDATE vector_generation SET token = random() WHERE id = 1;
END;
