-- /stats at a million users: counts that an index answers instead of a scan of every row.

CREATE INDEX users_languages ON users (language, telegram_language);
CREATE INDEX users_blocked ON users (id) WHERE blocked_bot = 1;
CREATE INDEX checks_channel_chosen ON checks (user_id) WHERE channel IS NOT NULL;

-- Each user's latest finished check (the verdict and operator that count), kept current by a
-- trigger instead of ranking every check at each /stats. user_id: /forget deletes it.
CREATE TABLE latest_checks (
    user_id     INTEGER PRIMARY KEY,
    check_id    INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    operator    TEXT,
    finished_at INTEGER NOT NULL
);
CREATE INDEX latest_checks_status ON latest_checks (status);
CREATE INDEX latest_checks_operator ON latest_checks (operator) WHERE operator IS NOT NULL;

INSERT INTO latest_checks (user_id, check_id, status, operator, finished_at)
SELECT user_id, id, status, operator, finished_at FROM (
    SELECT user_id, id, status, operator, finished_at,
           row_number() OVER (PARTITION BY user_id ORDER BY finished_at DESC, id DESC) AS n
    FROM checks)
WHERE n = 1;

CREATE TRIGGER checks_latest AFTER INSERT ON checks BEGIN
    INSERT INTO latest_checks (user_id, check_id, status, operator, finished_at)
    VALUES (new.user_id, new.id, new.status, new.operator, new.finished_at)
    ON CONFLICT (user_id) DO UPDATE SET
        check_id = excluded.check_id, status = excluded.status,
        operator = excluded.operator, finished_at = excluded.finished_at
    WHERE (excluded.finished_at, excluded.check_id) >= (latest_checks.finished_at, latest_checks.check_id);
END;
