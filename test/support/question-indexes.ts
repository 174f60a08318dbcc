// The indexes migration 009 made for the people and code questions: the query-plan test checks
// they are used, and the benchmark drops them for its baseline.

export const QUESTION_INDEXES = [
  "notes_position_new_path",
  "notes_position_old_path",
  "notes_unresolved",
  "notes_author_unresolved",
  "notes_created",
  "merge_request_files_new_path",
  "merge_request_files_old_path",
  "issue_merge_request_links_merge_request",
  "merge_requests_author_state",
  "merge_request_reviewers_username",
  "issue_assignees_username",
] as const;
