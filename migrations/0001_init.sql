-- Convention: every table that holds a user's data has a user_id column (or is `users`),
-- so that /forget can find and delete all of it.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,          -- Telegram user id
    language          TEXT,                         -- chosen with /language; NULL follows Telegram
    telegram_language TEXT,                         -- language_code Telegram last reported
    first_seen        INTEGER NOT NULL,             -- unix seconds, UTC
    last_seen         INTEGER NOT NULL,
    blocked_bot       INTEGER NOT NULL DEFAULT 0    -- 1 once Telegram says the user blocked us
);
CREATE INDEX users_last_seen ON users (last_seen);

-- aiogram FSM: a user's place in a flow and its data, per StorageKey.
-- NULL key parts are stored as 0 / '' because NULLs never collide in a primary key.
CREATE TABLE fsm_state (
    bot_id                 INTEGER NOT NULL,
    chat_id                INTEGER NOT NULL,
    user_id                INTEGER NOT NULL,
    thread_id              INTEGER NOT NULL DEFAULT 0,
    business_connection_id TEXT    NOT NULL DEFAULT '',
    destiny                TEXT    NOT NULL DEFAULT 'default',
    state                  TEXT,
    data                   TEXT    NOT NULL DEFAULT '{}',
    updated_at             INTEGER NOT NULL,
    PRIMARY KEY (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)
) WITHOUT ROWID;
CREATE INDEX fsm_state_user ON fsm_state (user_id);
