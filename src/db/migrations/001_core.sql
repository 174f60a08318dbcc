-- Core model: projects, issues, merge requests and their dependents, sync bookkeeping.
-- GitLab's global ids are primary keys; (project_id, iid) is unique per issue/MR.
-- raw_json keeps what GitLab served so later versions can extract more without a re-sync.
-- synced_at is when lore last wrote the row; --full reconciliation spares rows written during it.

CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  path_with_namespace TEXT NOT NULL UNIQUE,
  name TEXT,
  web_url TEXT,
  default_branch TEXT,
  visibility TEXT,
  archived INTEGER NOT NULL DEFAULT 0,
  raw_json TEXT NOT NULL,
  synced_at TEXT NOT NULL
);

CREATE TABLE issues (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  iid INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  state TEXT NOT NULL,
  issue_type TEXT,
  confidential INTEGER NOT NULL DEFAULT 0,
  author_username TEXT,
  author_name TEXT,
  assignees_json TEXT NOT NULL DEFAULT '[]',
  milestone_title TEXT,
  closed_by_username TEXT,
  user_notes_count INTEGER,
  upvotes INTEGER,
  downvotes INTEGER,
  due_date TEXT,
  moved_to_id INTEGER,
  web_url TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  raw_json TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  UNIQUE (project_id, iid)
);
CREATE INDEX issues_project_updated ON issues (project_id, updated_at);
CREATE INDEX issues_project_state_updated ON issues (project_id, state, updated_at);
CREATE INDEX issues_author ON issues (author_username);
CREATE INDEX issues_updated ON issues (updated_at);

CREATE TABLE merge_requests (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  iid INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  state TEXT NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0,
  source_branch TEXT,
  target_branch TEXT,
  source_project_id INTEGER,
  author_username TEXT,
  author_name TEXT,
  assignees_json TEXT NOT NULL DEFAULT '[]',
  reviewers_json TEXT NOT NULL DEFAULT '[]',
  milestone_title TEXT,
  merge_user_username TEXT,
  detailed_merge_status TEXT,
  sha TEXT,
  merge_commit_sha TEXT,
  user_notes_count INTEGER,
  upvotes INTEGER,
  downvotes INTEGER,
  web_url TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  merged_at TEXT,
  closed_at TEXT,
  raw_json TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  UNIQUE (project_id, iid)
);
CREATE INDEX merge_requests_project_updated ON merge_requests (project_id, updated_at);
CREATE INDEX merge_requests_project_state_updated ON merge_requests (project_id, state, updated_at);
CREATE INDEX merge_requests_author ON merge_requests (author_username);
CREATE INDEX merge_requests_updated ON merge_requests (updated_at);

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE issue_labels (
  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  PRIMARY KEY (issue_id, label_id)
) WITHOUT ROWID;
CREATE INDEX issue_labels_label ON issue_labels (label_id, issue_id);

CREATE TABLE merge_request_labels (
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  PRIMARY KEY (merge_request_id, label_id)
) WITHOUT ROWID;
CREATE INDEX merge_request_labels_label ON merge_request_labels (label_id, merge_request_id);

-- A discussion belongs to exactly one issue or one merge request.
CREATE TABLE discussions (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  issue_id INTEGER REFERENCES issues(id) ON DELETE CASCADE,
  merge_request_id INTEGER REFERENCES merge_requests(id) ON DELETE CASCADE,
  individual_note INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL,
  first_note_at TEXT,
  last_note_at TEXT,
  CHECK ((issue_id IS NULL) <> (merge_request_id IS NULL))
);
CREATE INDEX discussions_issue ON discussions (issue_id, position) WHERE issue_id IS NOT NULL;
CREATE INDEX discussions_merge_request ON discussions (merge_request_id, position)
  WHERE merge_request_id IS NOT NULL;

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  discussion_id TEXT NOT NULL REFERENCES discussions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT,
  body TEXT NOT NULL DEFAULT '',
  author_username TEXT,
  author_name TEXT,
  system INTEGER NOT NULL DEFAULT 0,
  internal INTEGER NOT NULL DEFAULT 0,
  resolvable INTEGER NOT NULL DEFAULT 0,
  resolved INTEGER,
  resolved_by_username TEXT,
  position_json TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  raw_json TEXT NOT NULL
);
CREATE INDEX notes_discussion ON notes (discussion_id, position);
CREATE INDEX notes_author ON notes (author_username);

-- State, label and milestone events; GitLab numbers each kind separately.
CREATE TABLE resource_events (
  kind TEXT NOT NULL CHECK (kind IN ('state', 'label', 'milestone')),
  id INTEGER NOT NULL,
  issue_id INTEGER REFERENCES issues(id) ON DELETE CASCADE,
  merge_request_id INTEGER REFERENCES merge_requests(id) ON DELETE CASCADE,
  user_username TEXT,
  created_at TEXT NOT NULL,
  action TEXT,
  state TEXT,
  label_name TEXT,
  milestone_title TEXT,
  source_commit TEXT,
  source_merge_request_id INTEGER,
  raw_json TEXT NOT NULL,
  PRIMARY KEY (kind, id),
  CHECK ((issue_id IS NULL) <> (merge_request_id IS NULL))
);
CREATE INDEX resource_events_issue ON resource_events (issue_id, created_at) WHERE issue_id IS NOT NULL;
CREATE INDEX resource_events_merge_request ON resource_events (merge_request_id, created_at)
  WHERE merge_request_id IS NOT NULL;

-- Issues an MR closes, as GitLab served them (possibly in other projects, or external trackers).
CREATE TABLE merge_request_closes_issues (
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  issue_id INTEGER,
  external_id TEXT,
  project_id INTEGER,
  iid INTEGER,
  title TEXT,
  state TEXT,
  web_url TEXT,
  PRIMARY KEY (merge_request_id, position)
) WITHOUT ROWID;
CREATE INDEX merge_request_closes_issues_issue ON merge_request_closes_issues (issue_id);

-- MRs related to an issue ('related') or closing it ('closed_by'), as GitLab served them.
CREATE TABLE issue_merge_request_links (
  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('related', 'closed_by')),
  merge_request_id INTEGER NOT NULL,
  project_id INTEGER,
  iid INTEGER,
  title TEXT,
  state TEXT,
  web_url TEXT,
  PRIMARY KEY (issue_id, kind, merge_request_id)
) WITHOUT ROWID;

CREATE TABLE merge_request_files (
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  old_path TEXT NOT NULL,
  new_path TEXT NOT NULL,
  new_file INTEGER NOT NULL DEFAULT 0,
  renamed_file INTEGER NOT NULL DEFAULT 0,
  deleted_file INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (merge_request_id, position)
) WITHOUT ROWID;

-- Sources whose documents must be regenerated: 'issue' / 'merge_request' (source_id = GitLab id)
-- and 'discussion' (source_id = discussion id).
CREATE TABLE dirty_sources (
  source_type TEXT NOT NULL CHECK (source_type IN ('issue', 'merge_request', 'discussion')),
  source_id TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  PRIMARY KEY (source_type, source_id)
) WITHOUT ROWID;

-- Last fully ingested (updated_at, id) per project and resource.
CREATE TABLE sync_cursors (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  resource TEXT NOT NULL CHECK (resource IN ('issues', 'merge_requests')),
  updated_at TEXT NOT NULL,
  last_id INTEGER NOT NULL,
  synced_at TEXT NOT NULL,
  PRIMARY KEY (project_id, resource)
) WITHOUT ROWID;

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mode TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  phase TEXT,
  project_paths_json TEXT NOT NULL DEFAULT '[]',
  started_at TEXT NOT NULL,
  finished_at TEXT,
  error TEXT,
  counters_json TEXT NOT NULL DEFAULT '{}',
  pid INTEGER
);
CREATE INDEX sync_runs_started ON sync_runs (started_at);

-- At most one incremental/full sync at a time; held by pid, kept alive by a heartbeat.
CREATE TABLE sync_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  run_id INTEGER,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
