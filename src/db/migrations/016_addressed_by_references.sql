-- GitLab's "created merge request !7 to address this issue" (the system note it writes on an issue
-- when a merge request is created from it) is now read as a cross-reference. Issues stored before
-- with such a note get it when the next sync re-derives their references from the stored rows
-- (offline, resumable: migration 011's backfill). The issue walk restarts just before the first of
-- them; merge requests, whose references this does not change, are not walked again. A backfill
-- still pending keeps its place where that is earlier.
WITH first AS (
  SELECT min(d.issue_id) - 1 AS before FROM notes n JOIN discussions d ON d.id = n.discussion_id
  WHERE n.system = 1 AND n.body LIKE 'created merge request %' AND d.issue_id IS NOT NULL)
UPDATE entity_references_backfill
SET next_issue_id = CASE WHEN finished_at IS NULL THEN min(next_issue_id, (SELECT before FROM first))
      ELSE (SELECT before FROM first) END,
    next_merge_request_id = CASE WHEN finished_at IS NULL THEN next_merge_request_id
      ELSE (SELECT coalesce(max(id), 0) FROM merge_requests) END,
    finished_at = NULL
WHERE (SELECT before FROM first) IS NOT NULL;
