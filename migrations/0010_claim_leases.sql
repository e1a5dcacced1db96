-- Claims with a lease, so that several instances can share the work and a crashed one's
-- claims are taken over without touching a live one's.
--
-- Broadcast recipients: pending -> sending -> sent | blocked | failed.
--   A claim ('sending') names its instance (claimed_by) and holds until lease_until (unix
--   seconds). The claiming instance renews the lease of all its claims while they are in
--   flight, and settles each one itself (sent, blocked, failed, or back to pending when it
--   stops). A 'sending' row whose lease has run out belongs to an instance that died (or
--   could not reach the database for a whole lease): any instance puts it back to 'pending',
--   and it is sent again. Those sends are the only possible duplicates: at most the dead
--   instance's sends in flight (its concurrency).
--
-- Reminders: pending -> claimed -> sent | failed, or pending -> dropped | cancelled.
--   A claim likewise names its instance and holds until lease_until, renewed while the send
--   is in flight. A 'claimed' row whose lease has run out may have been delivered, so it is
--   marked failed, never sent again: a reminder goes out at most once.
--
-- With one SQLite file there is one process (a lock file keeps others out), so at start
-- every claim is a dead process's and is settled at once, without waiting for its lease.
-- Rows claimed before this migration have no lease: they count as expired.

ALTER TABLE broadcast_recipients ADD COLUMN claimed_by TEXT;
ALTER TABLE broadcast_recipients ADD COLUMN lease_until INTEGER;
-- The sweep reads only the claims, a handful of rows, in however large a broadcast.
CREATE INDEX broadcast_recipients_claims ON broadcast_recipients (lease_until) WHERE status = 'sending';

ALTER TABLE reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE reminders ADD COLUMN lease_until INTEGER;
CREATE INDEX reminders_claims ON reminders (lease_until) WHERE status = 'claimed';
