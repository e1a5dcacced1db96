"""What the user types for "remind me", turned into a due time; presets; time zones.

Pure code: the current time is always a parameter. A user's time zone is a fixed UTC
offset in minutes (no DST: Russia and China have none, and asking for an offset is simpler
than a zone name in a chat).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

from flows.texts import N_

MIN_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(days=90)

MIN_OFFSET = -12 * 60
MAX_OFFSET = 14 * 60


class ParseError(StrEnum):
    UNPARSEABLE = "unparseable"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    IN_THE_PAST = "in_the_past"


ERROR_TEXTS: dict[ParseError, str] = {
    ParseError.UNPARSEABLE: N_("I could not read that time."),
    ParseError.TOO_SOON: N_("That is less than a minute away."),
    ParseError.TOO_FAR: N_("That is too far ahead: I can remind you up to 90 days from now."),
    ParseError.IN_THE_PAST: N_("That time has already passed."),
}
FORMS_HELP = N_(
    "Send a delay such as <code>30m</code>, <code>2h</code>, <code>3d</code> or "
    "<code>1w</code>, or a time such as <code>21:30</code> or "
    "<code>YYYY-MM-DD HH:MM</code> (your time zone: {tz})."
)

_UNIT_WORDS: dict[int, str] = {
    1: "m min mins minute minutes 分 分钟 м мин минута минуту минуты минут",
    60: "h hr hrs hour hours 小时 个小时 钟头 个钟头 ч час часа часов",
    24 * 60: "d day days 天 日 д дн день дня дней",
    7 * 24 * 60: "w wk wks week weeks 周 个周 星期 个星期 礼拜 个礼拜 нед неделя неделю недели недель",
}
_MINUTES_PER_UNIT: dict[str, int] = {
    word: minutes for minutes, words in _UNIT_WORDS.items() for word in words.split()
}

# Whole phrases meaning half an hour, common enough in Chinese and Russian to accept.
_HALF_HOUR = frozenset({"半小时", "半个小时", "半个钟头", "полчаса"})
_PREFIXES = ("in ", "через ")
_SUFFIXES = ("以后", "之后", "后", " later")

_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_DURATION = re.compile(r"(?P<count>[0-9]+|[一二两三四五六七八九十]+)\s*(?P<unit>[^\s0-9]+?)\.?")
_LOCAL_TIME = re.compile(r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})")
_LOCAL_DATETIME = re.compile(
    r"(?P<year>[0-9]{4})[-./](?P<month>[0-9]{1,2})[-./](?P<day>[0-9]{1,2})"
    r"(?:\s+|t)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
)
_OFFSET = re.compile(
    r"(?:utc|gmt)?\s*(?P<sign>[+-])(?P<hours>[0-9]{1,2})(?::(?P<minutes>[0-9]{2}))?"
)


def user_timezone(offset_minutes: int) -> timezone:
    if not MIN_OFFSET <= offset_minutes <= MAX_OFFSET:
        raise ValueError(f"UTC offset out of range: {offset_minutes} minutes")
    return timezone(timedelta(minutes=offset_minutes))


def _require_aware(now_utc: datetime) -> None:
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")


def _normalize(text: str) -> str:
    # NFKC turns full-width digits and the full-width colon of Chinese input into ASCII.
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    for suffix in _SUFFIXES:
        text = text.removesuffix(suffix)
    return text.strip()


def _zh_number(text: str) -> int | None:
    """Chinese numerals from 1 to 99 (一, 两, 十, 二十五 ...); None if not one."""
    if "十" not in text:
        return _ZH_DIGITS.get(text) if len(text) == 1 else None
    tens_text, _, ones_text = text.partition("十")
    tens = _ZH_DIGITS.get(tens_text) if tens_text else 1
    ones = _ZH_DIGITS.get(ones_text) if ones_text else 0
    if tens is None or ones is None or len(tens_text) > 1 or len(ones_text) > 1:
        return None
    return tens * 10 + ones


def _duration_minutes(text: str) -> int | None:
    if text in _HALF_HOUR:
        return 30
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    unit_minutes = _MINUTES_PER_UNIT.get(match["unit"])
    count_text = match["count"]
    count = int(count_text) if count_text.isdigit() else _zh_number(count_text)
    if unit_minutes is None or count is None:
        return None
    return count * unit_minutes


def _check_window(due: datetime, now_utc: datetime) -> datetime | ParseError:
    ahead = due - now_utc
    if ahead < timedelta(0):
        return ParseError.IN_THE_PAST
    if ahead < MIN_DELAY:
        return ParseError.TOO_SOON
    if ahead > MAX_DELAY:
        return ParseError.TOO_FAR
    return due.astimezone(UTC)


def _next_local_time(hour: int, minute: int, now_utc: datetime, tz: timezone) -> datetime:
    """The next moment the user's clock shows hour:minute; now itself counts as passed."""
    local_now = now_utc.astimezone(tz)
    candidate = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local_now:
        candidate += timedelta(days=1)
    return candidate


def parse_due(text: str, now_utc: datetime, offset_minutes: int) -> datetime | ParseError:
    """The due time (aware, UTC) for what the user typed, or why it cannot be used.

    Accepted: a duration (``30m``, ``2 h``, ``3天``, ``1 нед``, ``两小时``, ``半小时``, with
    an optional "in"/"через" before or 后 after), ``HH:MM`` (the next such local time:
    today if still ahead, else tomorrow) and ``YYYY-MM-DD HH:MM`` local. The due time must
    be at least 1 minute and at most 90 days ahead. Signs are not part of any form, so
    ``-5m`` is unparseable; ``0m`` is too soon.
    """
    _require_aware(now_utc)
    tz = user_timezone(offset_minutes)
    normalized = _normalize(text)

    if match := _LOCAL_DATETIME.fullmatch(normalized):
        try:
            due = datetime(
                int(match["year"]), int(match["month"]), int(match["day"]),
                int(match["hour"]), int(match["minute"]), tzinfo=tz,
            )
        except ValueError:
            return ParseError.UNPARSEABLE
        return _check_window(due, now_utc)

    if match := _LOCAL_TIME.fullmatch(normalized):
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            return ParseError.UNPARSEABLE
        return _check_window(_next_local_time(hour, minute, now_utc, tz), now_utc)

    minutes = _duration_minutes(normalized)
    if minutes is None:
        return ParseError.UNPARSEABLE
    # Compare before building a timedelta: a huge count would overflow it.
    if minutes > MAX_DELAY // timedelta(minutes=1):
        return ParseError.TOO_FAR
    return _check_window(now_utc + timedelta(minutes=minutes), now_utc)


def error_msgids(error: ParseError) -> tuple[str, str]:
    """What went wrong, then the accepted forms (format the second with tz=...)."""
    return ERROR_TEXTS[error], FORMS_HELP


class Preset(StrEnum):
    IN_1H = "in_1h"
    THIS_EVENING = "this_evening"
    TOMORROW_MORNING = "tomorrow_morning"
    IN_3D = "in_3d"
    IN_1W = "in_1w"


PRESET_LABELS: dict[Preset, str] = {
    Preset.IN_1H: N_("In 1 hour"),
    Preset.THIS_EVENING: N_("This evening, 19:00"),
    Preset.TOMORROW_MORNING: N_("Tomorrow morning, 09:00"),
    Preset.IN_3D: N_("In 3 days"),
    Preset.IN_1W: N_("In 1 week"),
}

EVENING = (19, 0)
# From 18:00 "this evening" would ring within the hour, too close to be a plan: the preset
# is not offered then, and a stale button pressed later means tomorrow evening.
EVENING_CUTOFF_HOUR = 18
MORNING = (9, 0)
# Before 04:00, someone up late means the coming morning, a few hours away.
NIGHT_END_HOUR = 4

_FIXED_PRESET_DELAYS = {
    Preset.IN_1H: timedelta(hours=1),
    Preset.IN_3D: timedelta(days=3),
    Preset.IN_1W: timedelta(weeks=1),
}


def preset_due(preset_id: str, now_utc: datetime, offset_minutes: int) -> datetime:
    """Due time (aware, UTC) of a preset; ValueError for an unknown preset id."""
    _require_aware(now_utc)
    preset = Preset(preset_id)
    tz = user_timezone(offset_minutes)
    if preset in _FIXED_PRESET_DELAYS:
        return (now_utc + _FIXED_PRESET_DELAYS[preset]).astimezone(UTC)
    local_now = now_utc.astimezone(tz)
    if preset is Preset.THIS_EVENING:
        hour, minute = EVENING
        days = 0 if local_now.hour < EVENING_CUTOFF_HOUR else 1
    else:
        hour, minute = MORNING
        days = 0 if local_now.hour < NIGHT_END_HOUR else 1
    local_due = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return (local_due + timedelta(days=days)).astimezone(UTC)


def available_presets(now_utc: datetime, offset_minutes: int) -> list[Preset]:
    """Presets worth offering now: "this evening" only before the evening cutoff."""
    _require_aware(now_utc)
    local_hour = now_utc.astimezone(user_timezone(offset_minutes)).hour
    return [
        preset
        for preset in Preset
        if preset is not Preset.THIS_EVENING or local_hour < EVENING_CUTOFF_HOUR
    ]


@dataclass(frozen=True)
class TimezoneChoice:
    offset_minutes: int
    name: str  # msgid


FEATURED_TIMEZONES: tuple[TimezoneChoice, ...] = (
    TimezoneChoice(3 * 60, N_("Moscow (UTC+3)")),
    TimezoneChoice(8 * 60, N_("Beijing (UTC+8)")),
)
OTHER_TIMEZONE_BUTTON = N_("Other time zone")
# Every whole hour from UTC-12 to UTC+14, plus India (+5:30) and Nepal (+5:45).
TIMEZONE_OFFSETS: tuple[int, ...] = tuple(
    sorted({hours * 60 for hours in range(-12, 15)} | {5 * 60 + 30, 5 * 60 + 45})
)


def is_known_offset(offset_minutes: int) -> bool:
    return offset_minutes in TIMEZONE_OFFSETS


def format_offset(offset_minutes: int) -> str:
    """UTC+8, UTC-3, UTC+5:30, UTC+0."""
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def parse_offset(text: str) -> int | None:
    """Minutes for what a user may type: "UTC+8", "GMT-3", "+5:30"; None otherwise."""
    normalized = "".join(unicodedata.normalize("NFKC", text).casefold().split())
    if normalized in ("utc", "gmt"):
        return 0
    match = _OFFSET.fullmatch(normalized)
    if match is None:
        return None
    minutes = int(match["hours"]) * 60 + int(match["minutes"] or 0)
    offset = -minutes if match["sign"] == "-" else minutes
    return offset if is_known_offset(offset) else None


def format_local(when_utc: datetime, offset_minutes: int) -> str:
    """"2026-11-22 19:00" on the user's clock, for confirmations and late notices."""
    return when_utc.astimezone(user_timezone(offset_minutes)).strftime("%Y-%m-%d %H:%M")
