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

-- --assignee and --reviewer: who is assigned to / reviewing what, one row per (user, entity),
-- derived from the assignees_json / reviewers_json columns by triggers, in the writer's own
-- transaction (as the search index is), so a list reads the few matching rows instead of parsing
-- every entity's JSON. Usernames compare case-insensitively, as GitLab's do.

CREATE TABLE issue_assignees (
  username TEXT NOT NULL COLLATE NOCASE,
  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
  PRIMARY KEY (username, issue_id)
) WITHOUT ROWID;
CREATE INDEX issue_assignees_issue ON issue_assignees (issue_id);

CREATE TABLE merge_request_assignees (
  username TEXT NOT NULL COLLATE NOCASE,
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  PRIMARY KEY (username, merge_request_id)
) WITHOUT ROWID;
CREATE INDEX merge_request_assignees_merge_request ON merge_request_assignees (merge_request_id);

CREATE TABLE merge_request_reviewers (
  username TEXT NOT NULL COLLATE NOCASE,
  merge_request_id INTEGER NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  PRIMARY KEY (username, merge_request_id)
) WITHOUT ROWID;
CREATE INDEX merge_request_reviewers_merge_request ON merge_request_reviewers (merge_request_id);

CREATE TRIGGER issue_assignees_insert AFTER INSERT ON issues BEGIN
  INSERT OR IGNORE INTO issue_assignees (username, issue_id)
    SELECT value, new.id FROM json_each(new.assignees_json) WHERE type = 'text';
END;
CREATE TRIGGER issue_assignees_update AFTER UPDATE OF assignees_json ON issues
  WHEN old.assignees_json IS NOT new.assignees_json BEGIN
  DELETE FROM issue_assignees WHERE issue_id = old.id;
  INSERT OR IGNORE INTO issue_assignees (username, issue_id)
    SELECT value, new.id FROM json_each(new.assignees_json) WHERE type = 'text';
END;
CREATE TRIGGER merge_request_people_insert AFTER INSERT ON merge_requests BEGIN
  INSERT OR IGNORE INTO merge_request_assignees (username, merge_request_id)
    SELECT value, new.id FROM json_each(new.assignees_json) WHERE type = 'text';
  INSERT OR IGNORE INTO merge_request_reviewers (username, merge_request_id)
    SELECT value, new.id FROM json_each(new.reviewers_json) WHERE type = 'text';
END;
CREATE TRIGGER merge_request_assignees_update AFTER UPDATE OF assignees_json ON merge_requests
  WHEN old.assignees_json IS NOT new.assignees_json BEGIN
  DELETE FROM merge_request_assignees WHERE merge_request_id = old.id;
  INSERT OR IGNORE INTO merge_request_assignees (username, merge_request_id)
    SELECT value, new.id FROM json_each(new.assignees_json) WHERE type = 'text';
END;
CREATE TRIGGER merge_request_reviewers_update AFTER UPDATE OF reviewers_json ON merge_requests
  WHEN old.reviewers_json IS NOT new.reviewers_json BEGIN
  DELETE FROM merge_request_reviewers WHERE merge_request_id = old.id;
  INSERT OR IGNORE INTO merge_request_reviewers (username, merge_request_id)
    SELECT value, new.id FROM json_each(new.reviewers_json) WHERE type = 'text';
END;

INSERT OR IGNORE INTO issue_assignees (username, issue_id)
  SELECT j.value, i.id FROM issues i, json_each(i.assignees_json) j WHERE j.type = 'text';
INSERT OR IGNORE INTO merge_request_assignees (username, merge_request_id)
  SELECT j.value, m.id FROM merge_requests m, json_each(m.assignees_json) j WHERE j.type = 'text';
INSERT OR IGNORE INTO merge_request_reviewers (username, merge_request_id)
  SELECT j.value, m.id FROM merge_requests m, json_each(m.reviewers_json) j WHERE j.type = 'text';
