-- The update journal's entries get the same lease as the other claims, so that several
-- instances can share one database: a starting instance handles again only a dead one's
-- updates, never those a live one has in hand.
--
-- Update journal: in hand -> done.
--   An entry is in hand (done_at NULL, body the update's JSON) from when an instance records
--   it, before Telegram is told it arrived. It names that instance (claimed_by) and holds
--   until lease_until (unix seconds); the instance renews the lease of all its entries in
--   hand while they are handled, and marks each done (done_at set; body, claimed_by and
--   lease_until cleared) once handled. An entry in hand whose lease has run out belongs to
--   an instance that died (or could not reach the database for a whole lease): any instance
--   claims it in its own name, with a new lease, and handles it again. A copy Telegram
--   delivers again (to any instance, the holder included) is skipped while the entry's lease
--   lasts, and once it is done; when the lease has run out, the instance that records the
--   copy claims the entry and handles it. Only the updates a dead instance was handling at
--   that moment can be handled twice.
--
-- With one SQLite file there is one process (a lock file keeps others out), so at start
-- every entry in hand is a dead process's and is handled again at once, without waiting for
-- its lease. Entries recorded before this migration have no lease: they count as expired.

ALTER TABLE update_journal ADD COLUMN claimed_by TEXT;
ALTER TABLE update_journal ADD COLUMN lease_until INTEGER;
