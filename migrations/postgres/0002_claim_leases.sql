-- Migration 0010: claims with a lease (who claimed, and until when); migrations/0010 explains
-- the states.
ALTER TABLE broadcast_recipients ADD COLUMN claimed_by TEXT;
ALTER TABLE broadcast_recipients ADD COLUMN lease_until BIGINT;
CREATE INDEX broadcast_recipients_claims ON broadcast_recipients (lease_until) WHERE status = 'sending';

ALTER TABLE reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE reminders ADD COLUMN lease_until BIGINT;
CREATE INDEX reminders_claims ON reminders (lease_until) WHERE status = 'claimed';
