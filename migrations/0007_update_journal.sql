-- Updates as received from Telegram, written before their offset is confirmed, so that a
-- crash loses none: rows still without done_at are handled again at the next start.
-- Once handled, the body (the user's message) is cleared; the id is kept a day so that a
-- copy Telegram delivers again is recognised. user_id so that /forget removes them.
CREATE TABLE update_journal (
    update_id   INTEGER PRIMARY KEY,
    user_id     INTEGER,
    body        TEXT,                 -- the update's JSON while it is in hand
    received_at INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX update_journal_in_hand ON update_journal (update_id) WHERE done_at IS NULL;
