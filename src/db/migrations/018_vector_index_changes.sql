-- Lets the vector index file (src/embedding/vector-index/) stay usable across small changes instead
-- of being invalidated by any. Supersedes 017's triggers, which replaced the generation token on
-- every change to embedding_chunks.
--
-- vector_index_changes is a log of the chunks whose vectors were added, removed or re-embedded: every
-- insert, delete or update of an embedding_chunks row appends the chunk's id (by trigger, so every
-- write path is covered: the embed pipeline, deleted documents, project purges). The index file
-- records the log position it includes (the sequence's high-water mark, read in the transaction that
-- read its vectors); a reader skips the file's rows of the chunks logged after that position and
-- computes those chunks exactly from vec0. AUTOINCREMENT makes the positions strictly increasing and
-- never reused, and entries are deleted only from the front (at or before a rebuilt file's position),
-- so a reader finds the log complete after its file's position exactly when it holds head - position
-- entries there; otherwise it scans vec0 exactly.
--
-- vector_generation.token (017) now changes only on wholesale events that invalidate any file
-- outright: the embeddings dropped for another model (embedding_meta deleted or changed), which also
-- empties the log. A database made anew (lore sync --recover, a deleted file) starts with a random
-- token of its own. A migration that rebuilds embedding_chunks must recreate these triggers.
DROP TRIGGER embedding_chunks_insert_generation;
DROP TRIGGER embedding_chunks_delete_generation;
DROP TRIGGER embedding_chunks_update_generation;

CREATE TABLE vector_index_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  chunk_id INTEGER NOT NULL
);

CREATE TRIGGER embedding_chunks_insert_change AFTER INSERT ON embedding_chunks BEGIN
  INSERT INTO vector_index_changes (chunk_id) VALUES (new.id);
END;
CREATE TRIGGER embedding_chunks_delete_change AFTER DELETE ON embedding_chunks BEGIN
  INSERT INTO vector_index_changes (chunk_id) VALUES (old.id);
END;
CREATE TRIGGER embedding_chunks_update_change AFTER UPDATE ON embedding_chunks BEGIN
  INSERT INTO vector_index_changes (chunk_id) VALUES (old.id);
  INSERT INTO vector_index_changes (chunk_id) SELECT new.id WHERE new.id <> old.id;
END;

CREATE TRIGGER embedding_meta_delete_generation AFTER DELETE ON embedding_meta BEGIN
  UPDATE vector_generation SET token = random() WHERE id = 1;
  DELETE FROM vector_index_changes;
END;
CREATE TRIGGER embedding_meta_update_generation AFTER UPDATE ON embedding_meta BEGIN
  UPDATE vector_generation SET token = random() WHERE id = 1;
  DELETE FROM vector_index_changes;
END;

-- Files written before this migration record no position: none is trusted.
UPDATE vector_generation SET token = random() WHERE id = 1;
