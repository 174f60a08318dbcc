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
