-- The checklist before cancelling, reminders, and the user's time zone.

-- Minutes east of UTC (180 Moscow, 480 Beijing); NULL until the user is first asked.
ALTER TABLE users ADD COLUMN utc_offset INTEGER;

-- One row per ticked item; unticking deletes the row.
CREATE TABLE checklist_ticks (
    user_id INTEGER NOT NULL,
    item_id TEXT    NOT NULL,                -- flows.checklist item id
    done_at INTEGER NOT NULL,                -- unix seconds, UTC
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;

-- A reminder moves pending -> claimed -> sent | failed, or pending -> dropped | cancelled.
-- 'claimed' is written before the send and left behind only by a crash during it: such a
-- row may have been delivered, so it is never sent again.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    item_id     TEXT,                        -- NULL: the whole checklist
    due_at      INTEGER NOT NULL,            -- unix seconds, UTC
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'dropped', 'cancelled')),
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    error       TEXT,
    answered_at INTEGER                      -- a button under the sent reminder was used
);
-- The scheduler's only question: what is pending, earliest first.
CREATE INDEX reminders_pending ON reminders (due_at, id) WHERE status = 'pending';
CREATE INDEX reminders_user ON reminders (user_id, status);
