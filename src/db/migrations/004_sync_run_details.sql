-- Sync runs gain surgical mode details: requested IIDs, per-entity counters as queryable columns,
-- warnings and the moment a run was cancelled.

ALTER TABLE sync_runs ADD COLUMN surgical_iids_json TEXT;
ALTER TABLE sync_runs ADD COLUMN issues_fetched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN mrs_fetched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN issues_ingested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN mrs_ingested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN skipped_stale INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN discussions_fetched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN notes_upserted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN events_fetched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN docs_regenerated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN docs_embedded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sync_runs ADD COLUMN cancelled_at TEXT;

CREATE INDEX sync_runs_mode_started ON sync_runs (mode, started_at);
CREATE INDEX sync_runs_status_phase_started ON sync_runs (status, phase, started_at);
