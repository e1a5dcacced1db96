-- A broadcast is a job: the admin's message (copied, never re-composed), who gets it, and
-- where the admin watches its progress. user_id is the admin (so /forget finds it).
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL,              -- the admin who sent it
    from_chat_id      INTEGER NOT NULL,              -- copyMessage source
    message_id        INTEGER NOT NULL,
    audience          TEXT    NOT NULL,              -- JSON: {"kind": ..., "value": ...}
    status            TEXT    NOT NULL DEFAULT 'running',  -- running, finished, cancelled
    status_chat_id    INTEGER NOT NULL,              -- the message edited with the progress
    status_message_id INTEGER NOT NULL,
    total             INTEGER NOT NULL DEFAULT 0,
    sent              INTEGER,                       -- final counts, set when it ends;
    blocked           INTEGER,                       -- while running they are counted
    failed            INTEGER,                       -- from broadcast_recipients
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER
);
CREATE INDEX broadcasts_status ON broadcasts (status);

-- One row per recipient, updated one at a time as it is delivered.
-- status: pending -> sending (claimed just before the call) -> sent | blocked | failed.
-- A row left 'sending' by a crash goes back to 'pending' at start: the only duplicates a
-- crash can cause are those sends, at most the broadcaster's concurrency.
CREATE TABLE broadcast_recipients (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,     -- calls made, not counting 429 answers
    error        TEXT,
    sent_at      INTEGER,
    PRIMARY KEY (broadcast_id, user_id)
) WITHOUT ROWID;
CREATE INDEX broadcast_recipients_status ON broadcast_recipients (broadcast_id, status, user_id);
CREATE INDEX broadcast_recipients_user ON broadcast_recipients (user_id);
