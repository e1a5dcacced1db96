-- Every finished eligibility check: the answers, the verdict, and the channel the user
-- then chose to look at (for the funnel in the admin statistics).
CREATE TABLE checks (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    answers     TEXT    NOT NULL,            -- JSON object: question id -> option id
    status      TEXT    NOT NULL,            -- flows.eligibility.Status name
    operator    TEXT,                        -- copied from answers for quick statistics
    channel     TEXT,                        -- the channel whose steps the user opened
    finished_at INTEGER NOT NULL             -- unix seconds, UTC
);
CREATE INDEX checks_user ON checks (user_id, finished_at);
