-- People and code (`lore who`, `file-history`, `trace`, `me`): what those questions look up by
-- path or by user becomes indexable, and `lore me` gets a log of what arrived in the mirror.

-- DiffNote paths as columns computed from GitLab's position object, so every write path fills them
-- and old rows need no backfill; the indexes hold the values. A note on a renamed file's old side
-- is indexed by its old path only where the two differ (most DiffNotes name one path twice).
ALTER TABLE notes ADD COLUMN position_new_path TEXT
  GENERATED ALWAYS AS (json_extract(position_json, '$.new_path')) VIRTUAL;
ALTER TABLE notes ADD COLUMN position_old_path TEXT
  GENERATED ALWAYS AS (json_extract(position_json, '$.old_path')) VIRTUAL;
CREATE INDEX notes_position_new_path ON notes (position_new_path) WHERE position_new_path IS NOT NULL;
CREATE INDEX notes_position_old_path ON notes (position_old_path)
  WHERE position_old_path IS NOT position_new_path;

-- Unresolved notes of resolvable threads (GitLab marks every note of a resolved thread resolved):
-- open threads overall (`who --active`) and by author (`who @user`).
CREATE INDEX notes_unresolved ON notes (discussion_id) WHERE resolvable = 1 AND resolved = 0;
CREATE INDEX notes_author_unresolved ON notes (author_username, discussion_id)
  WHERE resolvable = 1 AND resolved = 0;

-- Notes by when they were written (`lore me --since`).
CREATE INDEX notes_created ON notes (created_at);

-- Changed files by path; a file's old path only where it was renamed (or moved) by that MR.
CREATE INDEX merge_request_files_new_path ON merge_request_files (new_path);
CREATE INDEX merge_request_files_old_path ON merge_request_files (old_path) WHERE old_path <> new_path;

-- The MRs that close or mention an issue, looked up from the MR's side.
CREATE INDEX issue_merge_request_links_merge_request ON issue_merge_request_links (merge_request_id, kind);

-- Open MRs by author.
CREATE INDEX merge_requests_author_state ON merge_requests (author_username, state);

-- Reviewers and assignees as rows, kept by triggers from the JSON columns the entity writer fills
-- (lists' --assignee/--reviewer read them too). Usernames compare case-insensitively, as GitLab's do.
CREATE TABLE merge_request_reviewers (
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  username TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (merge_request_id, username)
) WITHOUT ROWID;
CREATE INDEX merge_request_reviewers_username ON merge_request_reviewers (username);

CREATE TABLE issue_assignees (
  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  username TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (issue_id, username)
) WITHOUT ROWID;
CREATE INDEX issue_assignees_username ON issue_assignees (username);

INSERT OR IGNORE INTO merge_request_reviewers (merge_request_id, username)
  SELECT m.id, j.value FROM merge_requests m, json_each(m.reviewers_json) j WHERE j.type = 'text';
INSERT OR IGNORE INTO issue_assignees (issue_id, username)
  SELECT i.id, j.value FROM issues i, json_each(i.assignees_json) j WHERE j.type = 'text';

CREATE TRIGGER merge_requests_reviewers_insert AFTER INSERT ON merge_requests BEGIN
  INSERT OR IGNORE INTO merge_request_reviewers (merge_request_id, username)
    SELECT new.id, value FROM json_each(new.reviewers_json) WHERE type = 'text';
END;
CREATE TRIGGER merge_requests_reviewers_update AFTER UPDATE OF reviewers_json ON merge_requests
  WHEN old.reviewers_json IS NOT new.reviewers_json BEGIN
  DELETE FROM merge_request_reviewers WHERE merge_request_id = new.id;
  INSERT OR IGNORE INTO merge_request_reviewers (merge_request_id, username)
    SELECT new.id, value FROM json_each(new.reviewers_json) WHERE type = 'text';
END;
CREATE TRIGGER issues_assignees_insert AFTER INSERT ON issues BEGIN
  INSERT OR IGNORE INTO issue_assignees (issue_id, username)
    SELECT new.id, value FROM json_each(new.assignees_json) WHERE type = 'text';
END;
CREATE TRIGGER issues_assignees_update AFTER UPDATE OF assignees_json ON issues
  WHEN old.assignees_json IS NOT new.assignees_json BEGIN
  DELETE FROM issue_assignees WHERE issue_id = new.id;
  INSERT OR IGNORE INTO issue_assignees (issue_id, username)
    SELECT new.id, value FROM json_each(new.assignees_json) WHERE type = 'text';
END;

-- Accounts GitLab marks `bot: true` in a user object it served (author, reviewer, assignee…),
-- found when the row is written: the cheap `"bot":true` test on the raw JSON lets almost every
-- row through untouched, and a marked one is handed to bot_scan, whose trigger walks it for the
-- users it names (one place for that walk) and leaves the table empty. A note's author never
-- changes; an issue or MR gains users (assignees, reviewers) when it is updated.
CREATE TABLE marked_bots (username TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE bot_scan (raw_json TEXT NOT NULL);

CREATE TRIGGER bot_scan_walk AFTER INSERT ON bot_scan BEGIN
  INSERT OR IGNORE INTO marked_bots (username)
    SELECT json_extract(new.raw_json, substr(fullkey, 1, length(fullkey) - 4) || '.username')
    FROM json_tree(new.raw_json) WHERE key = 'bot' AND atom = 1
      AND json_extract(new.raw_json, substr(fullkey, 1, length(fullkey) - 4) || '.username') IS NOT NULL;
  DELETE FROM bot_scan WHERE rowid = new.rowid;
END;

INSERT INTO bot_scan (raw_json)
  SELECT raw_json FROM notes WHERE instr(raw_json, '"bot":true') > 0
  UNION ALL SELECT raw_json FROM issues WHERE instr(raw_json, '"bot":true') > 0
  UNION ALL SELECT raw_json FROM merge_requests WHERE instr(raw_json, '"bot":true') > 0;

CREATE TRIGGER notes_marked_bots AFTER INSERT ON notes WHEN instr(new.raw_json, '"bot":true') > 0 BEGIN
  INSERT INTO bot_scan (raw_json) VALUES (new.raw_json);
END;
CREATE TRIGGER issues_marked_bots AFTER INSERT ON issues WHEN instr(new.raw_json, '"bot":true') > 0 BEGIN
  INSERT INTO bot_scan (raw_json) VALUES (new.raw_json);
END;
CREATE TRIGGER issues_marked_bots_update AFTER UPDATE OF raw_json ON issues
  WHEN instr(new.raw_json, '"bot":true') > 0 BEGIN
  INSERT INTO bot_scan (raw_json) VALUES (new.raw_json);
END;
CREATE TRIGGER merge_requests_marked_bots AFTER INSERT ON merge_requests
  WHEN instr(new.raw_json, '"bot":true') > 0 BEGIN
  INSERT INTO bot_scan (raw_json) VALUES (new.raw_json);
END;
CREATE TRIGGER merge_requests_marked_bots_update AFTER UPDATE OF raw_json ON merge_requests
  WHEN instr(new.raw_json, '"bot":true') > 0 BEGIN
  INSERT INTO bot_scan (raw_json) VALUES (new.raw_json);
END;

-- What arrived in the mirror, in commit order: writers take the write lock one at a time, so a
-- reader that saw sequence N has seen every arrival up to N and none after. `lore me` keeps the
-- sequence it last showed per user; what arrives later is news, however late a sync fetched it.
-- User notes arrive when first stored; issue and MR descriptions that may mention someone ('@')
-- when first stored and again when edited. Rows are never deleted, so the sequence only grows;
-- an arrival whose note or entity is gone is ignored by the reader.
CREATE TABLE arrivals (
  seq INTEGER PRIMARY KEY,
  source_type TEXT NOT NULL CHECK (source_type IN ('note', 'issue', 'merge_request')),
  source_id INTEGER NOT NULL
);

CREATE TRIGGER notes_arrival AFTER INSERT ON notes WHEN new.system = 0 BEGIN
  INSERT INTO arrivals (source_type, source_id) VALUES ('note', new.id);
END;
CREATE TRIGGER issues_arrival AFTER INSERT ON issues WHEN instr(new.description, '@') > 0 BEGIN
  INSERT INTO arrivals (source_type, source_id) VALUES ('issue', new.id);
END;
CREATE TRIGGER issues_description_arrival AFTER UPDATE OF description ON issues
  WHEN instr(new.description, '@') > 0 AND old.description IS NOT new.description BEGIN
  INSERT INTO arrivals (source_type, source_id) VALUES ('issue', new.id);
END;
CREATE TRIGGER merge_requests_arrival AFTER INSERT ON merge_requests
  WHEN instr(new.description, '@') > 0 BEGIN
  INSERT INTO arrivals (source_type, source_id) VALUES ('merge_request', new.id);
END;
CREATE TRIGGER merge_requests_description_arrival AFTER UPDATE OF description ON merge_requests
  WHEN instr(new.description, '@') > 0 AND old.description IS NOT new.description BEGIN
  INSERT INTO arrivals (source_type, source_id) VALUES ('merge_request', new.id);
END;

-- Per user (lower-case): the last arrival `lore me` showed, and the baseline — the newest time the
-- mirror held when they first looked, in GitLab's clock: what was written before it is history,
-- not news, even when a sync fetches it later (a project added afterwards, say).
CREATE TABLE me_cursors (
  username TEXT PRIMARY KEY,
  arrival_seq INTEGER NOT NULL,
  baseline_at TEXT NOT NULL,
  looked_at TEXT NOT NULL
) WITHOUT ROWID;
