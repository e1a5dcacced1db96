-- Time zones as IANA names, and at most one pending reminder per item and minute.

-- The IANA name of the user's time zone (Europe/Moscow, Asia/Shanghai, Etc/GMT-5 for a
-- typed UTC+5); NULL until the user is first asked. The old column held a bare offset:
-- Moscow's and Beijing's become their cities, the other whole hours Etc/ zones, the two
-- half-hour offsets the bot offered India's and Nepal's zones.
ALTER TABLE users ADD COLUMN time_zone TEXT;
UPDATE users SET time_zone = CASE
    WHEN utc_offset = 180 THEN 'Europe/Moscow'
    WHEN utc_offset = 480 THEN 'Asia/Shanghai'
    WHEN utc_offset = 0 THEN 'Etc/UTC'
    WHEN utc_offset = 330 THEN 'Asia/Kolkata'
    WHEN utc_offset = 345 THEN 'Asia/Kathmandu'
    WHEN utc_offset % 60 = 0 AND utc_offset BETWEEN -720 AND 840
        THEN 'Etc/GMT' || CASE WHEN utc_offset > 0 THEN '-' ELSE '+' END || (abs(utc_offset) / 60)
END
WHERE utc_offset IS NOT NULL;
ALTER TABLE users DROP COLUMN utc_offset;

-- A double tap, a stale button or the same time typed twice must not make two reminders:
-- duplicates already stored are cancelled (the oldest stays), and the index refuses new ones.
UPDATE reminders SET status = 'cancelled'
WHERE status = 'pending' AND id NOT IN (
    SELECT min(id) FROM reminders WHERE status = 'pending'
    GROUP BY user_id, ifnull(item_id, ''), due_at / 60
);
CREATE UNIQUE INDEX reminders_once ON reminders (user_id, ifnull(item_id, ''), due_at / 60)
    WHERE status = 'pending';
