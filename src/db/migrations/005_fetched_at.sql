-- When the fetch that produced an entity's stored copy and its dependents began. Two syncs can hold
-- copies with the same updated_at but different dependents (a note deleted or edited on GitLab does
-- not always move the parent's updated_at): the copy whose fetch began later wins. NULL: before 005.

ALTER TABLE issues ADD COLUMN fetched_at TEXT;
ALTER TABLE merge_requests ADD COLUMN fetched_at TEXT;
