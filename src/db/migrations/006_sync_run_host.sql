-- The machine a sync run's process runs on: with its pid, it tells a run whose process died
-- (killed, crashed, power loss) from one still in progress. NULL: runs recorded before 006.

ALTER TABLE sync_runs ADD COLUMN hostname TEXT;
