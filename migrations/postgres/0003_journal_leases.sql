-- Migration 0011: the update journal's entries in hand name their instance and hold for a
-- lease, like the other claims; migrations/0011 explains the states.
ALTER TABLE update_journal ADD COLUMN claimed_by TEXT;
ALTER TABLE update_journal ADD COLUMN lease_until BIGINT;
