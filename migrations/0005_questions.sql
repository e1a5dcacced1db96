-- Typed questions: the 👍/👎 votes on answers, and the questions no entry could answer.

-- One vote per user per answer message: pressing the other button replaces it.
-- user_id (the convention): /forget deletes a user's votes.
CREATE TABLE question_votes (
    user_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,            -- the answer message in the user's private chat
    entry_id   TEXT    NOT NULL,            -- flows.knowledge entry id
    helpful    INTEGER NOT NULL,            -- 1 = 👍, 0 = 👎
    voted_at   INTEGER NOT NULL,            -- unix seconds, UTC; the latest change
    PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
CREATE INDEX question_votes_entry ON question_votes (entry_id);

-- Deliberately without user_id or any other personal data: only the masked, shortened
-- text (flows.questions.unanswered_record) and when it was asked. /privacy says so.
CREATE TABLE unanswered_questions (
    id       INTEGER PRIMARY KEY,
    text     TEXT    NOT NULL,
    asked_at INTEGER NOT NULL
);
CREATE INDEX unanswered_questions_text ON unanswered_questions (text);
