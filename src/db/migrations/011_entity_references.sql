-- Cross-references between issues, merge requests and commits, derived from data sync already
-- stores: titles and descriptions, user notes, GitLab's cross-reference system notes ("mentioned
-- in !12"), MR closes-issues, and an issue's closing and related MRs. Each row belongs to the
-- entity whose stored data produced it (its owner): re-syncing the owner replaces exactly its rows,
-- and deleting it deletes them. A note on issue #42 saying "mentioned in merge request !12" is
-- owned by #42 but says !12 → #42, so source and target are kept apart from the owner.
-- Ends are named as GitLab writes them (project path, type, iid; commits by sha) and resolved
-- against the mirror when read, so a target synced later resolves without rewriting the row.

CREATE TABLE entity_references (
  id INTEGER PRIMARY KEY,
  owner_issue_id INTEGER REFERENCES issues(id) ON DELETE CASCADE,
  owner_merge_request_id INTEGER REFERENCES merge_requests(id) ON DELETE CASCADE,
  source_type TEXT NOT NULL CHECK (source_type IN ('issue', 'merge_request', 'commit')),
  source_project TEXT NOT NULL COLLATE NOCASE,
  source_iid INTEGER,
  source_sha TEXT,
  target_type TEXT NOT NULL CHECK (target_type IN ('issue', 'merge_request', 'commit')),
  target_project TEXT NOT NULL COLLATE NOCASE,
  target_iid INTEGER,
  target_sha TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('closes', 'mentioned', 'related')),
  -- Where it was read: 'title', 'description', 'note', 'system_note', 'closes_issues', 'closed_by',
  -- 'related_merge_requests'.
  origin TEXT NOT NULL,
  -- What a system note said ('mentioned_in', 'closed_via', 'related_to', 'duplicate_of', 'moved_to').
  detail TEXT,
  note_id INTEGER,
  -- When and by whom, where the owner's data says so; NULL for links, resolved from the source.
  referenced_at TEXT,
  actor TEXT,
  CHECK ((owner_issue_id IS NULL) <> (owner_merge_request_id IS NULL)),
  CHECK ((source_type = 'commit') = (source_sha IS NOT NULL) AND (source_type = 'commit') = (source_iid IS NULL)),
  CHECK ((target_type = 'commit') = (target_sha IS NOT NULL) AND (target_type = 'commit') = (target_iid IS NULL))
);
CREATE INDEX entity_references_owner_issue ON entity_references (owner_issue_id)
  WHERE owner_issue_id IS NOT NULL;
CREATE INDEX entity_references_owner_merge_request ON entity_references (owner_merge_request_id)
  WHERE owner_merge_request_id IS NOT NULL;
CREATE INDEX entity_references_source ON entity_references (source_type, source_project, source_iid);
CREATE INDEX entity_references_target ON entity_references (target_type, target_project, target_iid);

-- References name projects by path, which GitLab matches case-insensitively.
CREATE INDEX projects_path_nocase ON projects (path_with_namespace COLLATE NOCASE);

-- Entities stored before this migration have no references yet: the next incremental or full sync
-- derives them from the stored rows (no requests), resuming after the last entity done.
CREATE TABLE entity_references_backfill (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_issue_id INTEGER NOT NULL DEFAULT 0,
  next_merge_request_id INTEGER NOT NULL DEFAULT 0,
  finished_at TEXT
);
INSERT INTO entity_references_backfill (id, finished_at)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM issues) OR EXISTS (SELECT 1 FROM merge_requests)
  THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END;

-- `lore notes`: one user's notes newest first (and their count), and everyone's.
DROP INDEX IF EXISTS notes_author;
CREATE INDEX notes_author_system_created ON notes (author_username, system, created_at);
CREATE INDEX notes_system_created ON notes (system, created_at);
