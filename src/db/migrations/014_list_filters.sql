-- Indexes for the filters and orders of `lore issues` / `lore mrs` lists. Lists always name their
-- projects, so each index leads with (project_id, <filter column>) and ends with the default order:
-- --author, --milestone, --target-branch and --source-branch read only the matching rows, already
-- in update order, whatever --state says. --sort created and --due-before get their own.

CREATE INDEX issues_project_author ON issues (project_id, author_username, updated_at);
CREATE INDEX merge_requests_project_author ON merge_requests (project_id, author_username, updated_at);
CREATE INDEX issues_project_milestone ON issues (project_id, milestone_title, updated_at)
  WHERE milestone_title IS NOT NULL;
CREATE INDEX merge_requests_project_milestone ON merge_requests (project_id, milestone_title, updated_at)
  WHERE milestone_title IS NOT NULL;
CREATE INDEX merge_requests_project_target_branch ON merge_requests (project_id, target_branch, updated_at);
CREATE INDEX merge_requests_project_source_branch ON merge_requests (project_id, source_branch, updated_at);
CREATE INDEX issues_project_state_created ON issues (project_id, state, created_at);
CREATE INDEX merge_requests_project_state_created ON merge_requests (project_id, state, created_at);
CREATE INDEX issues_project_state_due ON issues (project_id, state, due_date) WHERE due_date IS NOT NULL;

-- --assignee on MR lists: who is assigned to what, one row per (entity, user), derived from
-- assignees_json by triggers in the writer's own transaction, as 009 does for issue assignees and
-- MR reviewers (which lists read too), so a list reads the few matching rows instead of parsing
-- every entity's JSON. Usernames compare case-insensitively, as GitLab's do.

CREATE TABLE merge_request_assignees (
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  username TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (merge_request_id, username)
) WITHOUT ROWID;
CREATE INDEX merge_request_assignees_username ON merge_request_assignees (username);

CREATE TRIGGER merge_requests_assignees_insert AFTER INSERT ON merge_requests BEGIN
  INSERT OR IGNORE INTO merge_request_assignees (merge_request_id, username)
    SELECT new.id, value FROM json_each(new.assignees_json) WHERE type = 'text';
END;
CREATE TRIGGER merge_requests_assignees_update AFTER UPDATE OF assignees_json ON merge_requests
  WHEN old.assignees_json IS NOT new.assignees_json BEGIN
  DELETE FROM merge_request_assignees WHERE merge_request_id = new.id;
  INSERT OR IGNORE INTO merge_request_assignees (merge_request_id, username)
    SELECT new.id, value FROM json_each(new.assignees_json) WHERE type = 'text';
END;

INSERT OR IGNORE INTO merge_request_assignees (merge_request_id, username)
  SELECT m.id, j.value FROM merge_requests m, json_each(m.assignees_json) j WHERE j.type = 'text';
