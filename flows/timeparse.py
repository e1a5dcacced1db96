"""What the user types for "remind me", turned into a due time; presets; how a time is shown.

Pure code: the current time and the user's time zone (an IANA name) are parameters.

Hand-written rather than dateparser: on the table of typed times in tests/data/times.tsv
(``python bench/timeparse.py``) dateparser 1.5 read 98 of 199 right against 199: it misses
most Chinese forms (半小时后, 明早9点, 今晚8点, 下周一), Russian "в 10"/"10 утра", and it cannot
tell an impossible time (25:00) from an unreadable one. Month and weekday names come from
Babel (CLDR), so that the dates the bot shows can be typed back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum, StrEnum
from functools import cache

from babel.dates import format_skeleton, get_day_names, get_month_names

from flows.texts import N_
from flows.timezones import zone_info

MIN_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(days=90)


class ParseError(StrEnum):
    UNPARSEABLE = "unparseable"
    NO_SUCH_TIME = "no_such_time"
    NO_SUCH_DATE = "no_such_date"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    IN_THE_PAST = "in_the_past"


ERROR_TEXTS: dict[ParseError, str] = {
    ParseError.UNPARSEABLE: N_("I could not read that as a time."),
    ParseError.NO_SUCH_TIME: N_("There is no such time: hours go from 0 to 23 and minutes from 0 to 59."),
    ParseError.NO_SUCH_DATE: N_("There is no such date in the calendar."),
    ParseError.TOO_SOON: N_("That is less than a minute away."),
    ParseError.TOO_FAR: N_("That is too far ahead: I can remind you up to 90 days from now."),
    ParseError.IN_THE_PAST: N_("That time has already passed."),
}
# Every example in <code> must be read by parse_due in its language (a test checks it).
FORMS_HELP = N_(
    "Write it as you would say it, for example <code>in 2 hours</code>, <code>tomorrow 9am</code>, "
    "<code>friday evening</code> or <code>Dec 1 10:00</code>. Your time zone: {tz}."
)

TODAY_AT = N_("today {time}")
TOMORROW_AT = N_("tomorrow {time}")


# --- durations ------------------------------------------------------------------------------

_UNIT_WORDS: dict[int, str] = {
    1: "m min mins minute minutes 分 分钟 分鐘 м мин минута минуту минуты минут",
    60: "h hr hrs hour hours 小时 小時 钟头 鐘頭 钟 ч час часа часов",
    24 * 60: "d day days 天 д дн день дня дней сутки суток",
    7 * 24 * 60: "w wk wks week weeks 周 星期 礼拜 禮拜 нед неделя неделю недели недель",
    30 * 24 * 60: "month months 个月 мес месяц месяца месяцев",
}
_COUNT_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "один": 1, "одна": 1, "одну": 1, "два": 2,
    "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "пару": 2,
}
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_NUMBER = "[零一二两三四五六七八九十]+"
# Half units said as one word; "1.5" is read as a number.
_HALVES = (
    (re.compile(r"(?<![a-z])(?:half an hour|half hour)(?![a-z])"), lambda m: "30 min"),
    (re.compile(r"(?<![a-z])an hour and a half(?![a-z])"), lambda m: "90 min"),
    (re.compile(r"полчаса"), lambda m: "30 мин"),
    (re.compile(r"полтора часа|полтора ч"), lambda m: "90 мин"),
    (re.compile(rf"([0-9]+|{_ZH_NUMBER})个?半(?:小时|小時|钟头|钟)"), lambda m: f"{_number(m[1]) * 60 + 30}分钟"),
    (re.compile(r"半个?(?:小时|小時|钟头|钟)"), lambda m: "30分钟"),
)
_PREFIXES = re.compile(r"^(?:in|after|через|спустя)\s+")
_SUFFIXES = re.compile(r"(?:以后|之后|后|後|过后|\s+later|\s+from now|\s+спустя)$")
_SEPARATOR = re.compile(r"\s*(?:and|и|又|零)?\s*")


@cache
def _duration_regex() -> re.Pattern[str]:
    units = sorted((w for words in _UNIT_WORDS.values() for w in words.split()), key=len, reverse=True)
    counts = sorted(_COUNT_WORDS, key=len, reverse=True)
    count = rf"(?:[0-9]+(?:[.,][0-9]+)?|{_ZH_NUMBER}|(?:{'|'.join(counts)})(?![a-zа-я]))"
    part = rf"(?:(?P<count>{count})\s*个?\s*)?(?P<unit>{'|'.join(units)})(?![a-zа-я])\.?"
    return re.compile(part)


def _number(text: str) -> float:
    """1, 1.5, 两, 十二, two, пару."""
    if text in _COUNT_WORDS:
        return _COUNT_WORDS[text]
    if text[0].isdigit():
        return float(text.replace(",", "."))
    if "十" not in text:
        return _ZH_DIGITS[text] if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return -1
    return (_ZH_DIGITS.get(tens, -1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, -1) if ones else 0)


def _duration_minutes(text: str) -> float | None:
    """Minutes for "2h", "1 час 30 минут", "两个半小时", "через неделю"; None if not one."""
    for pattern, replace in _HALVES:
        text = pattern.sub(replace, text)
    text, prefixed = _PREFIXES.subn("", text)
    text, suffixed = _SUFFIXES.subn("", text)
    text = text.strip()
    regex = _duration_regex()
    total, position, parts = 0.0, 0, 0
    while position < len(text):
        match = regex.match(text, position)
        if match is None:
            return None
        count_text = match["count"]
        # A bare unit is one of it only when said so: "через час", "in a week", not "d".
        if count_text is None and not (prefixed or suffixed):
            return None
        count = _number(count_text) if count_text else 1
        if count < 0:
            return None
        total += count * _minutes_per_unit()[match["unit"]]
        parts += 1
        position = match.end()
        position = _SEPARATOR.match(text, position).end()
    return total if parts else None


@cache
def _minutes_per_unit() -> dict[str, int]:
    return {word: minutes for minutes, words in _UNIT_WORDS.items() for word in words.split()}


# --- moments: dates, day words, weekdays, times of day ----------------------------------------


class Part(Enum):
    """A part of the day: how it reads an hour ("8" in the evening is 20:00) and the hour
    it means alone. Evening is 19:00 as the "this evening" preset."""

    MORNING = 9
    NOON = 12
    AFTERNOON = 15
    EVENING = 19
    NIGHT = 21
    SMALL_HOURS = 5


def _apply_part(hour: int, part: Part | None) -> int:
    if part in (Part.AFTERNOON, Part.EVENING) and hour < 12:
        return hour + 12
    if part is Part.NIGHT and 6 <= hour < 12:
        return hour + 12
    if part is Part.NOON and hour < 5:
        return hour + 12
    if part in (Part.MORNING, Part.NIGHT, Part.SMALL_HOURS) and hour == 12:
        return 0
    return hour


_L = r"(?<![a-zа-я])"  # a Latin or Cyrillic word starts here
_R = r"(?![a-zа-я])"

# Words that say a day, and a part of it when they do (今晚 = today, evening).
_DAY_WORDS: dict[str, tuple[int, Part | None]] = {
    "大后天": (3, None), "后天": (2, None), "今天": (0, None), "今日": (0, None), "明天": (1, None),
    "明日": (1, None), "今早": (0, Part.MORNING), "今晨": (0, Part.MORNING), "今晚": (0, Part.EVENING),
    "今夜": (0, Part.NIGHT), "明早": (1, Part.MORNING), "明晨": (1, Part.MORNING),
    "明晚": (1, Part.EVENING),
    "послезавтра": (2, None), "сегодня": (0, None), "завтра": (1, None),
    "the day after tomorrow": (2, None), "day after tomorrow": (2, None), "today": (0, None),
    "tomorrow": (1, None), "tmrw": (1, None), "tmr": (1, None), "tonight": (0, Part.EVENING),
    "this morning": (0, Part.MORNING), "this afternoon": (0, Part.AFTERNOON),
    "this evening": (0, Part.EVENING),
}
_PART_WORDS: dict[str, Part] = {
    "早上": Part.MORNING, "早晨": Part.MORNING, "清晨": Part.MORNING, "上午": Part.MORNING,
    "早": Part.MORNING, "中午": Part.NOON, "下午": Part.AFTERNOON, "午后": Part.AFTERNOON,
    "傍晚": Part.EVENING, "晚上": Part.EVENING, "晚": Part.EVENING, "夜里": Part.NIGHT,
    "夜晚": Part.NIGHT, "凌晨": Part.SMALL_HOURS,
    "утром": Part.MORNING, "утра": Part.MORNING, "с утра": Part.MORNING, "днем": Part.AFTERNOON,
    "дня": Part.AFTERNOON, "вечером": Part.EVENING, "вечера": Part.EVENING, "ночью": Part.NIGHT,
    "ночи": Part.NIGHT, "в обед": Part.NOON, "полдень": Part.NOON, "в полдень": Part.NOON,
    "in the morning": Part.MORNING, "morning": Part.MORNING, "am": Part.MORNING, "a.m.": Part.MORNING,
    "noon": Part.NOON, "midday": Part.NOON, "in the afternoon": Part.AFTERNOON,
    "afternoon": Part.AFTERNOON, "pm": Part.AFTERNOON, "p.m.": Part.AFTERNOON,
    "in the evening": Part.EVENING, "evening": Part.EVENING, "at night": Part.NIGHT, "night": Part.NIGHT,
}
_PAST_WORDS = re.compile(rf"昨天|昨晚|昨日|前天|{_L}(?:вчера|позавчера|yesterday){_R}")
_NOW_WORDS = re.compile(r"现在|马上|立刻|now|right now|сейчас|прямо сейчас")
_PREPOSITIONS = frozenset({"в", "во", "к", "at", "by", "@"})
_FILLERS = frozenset({"на", "on", "the", "of", "-", "—", "и", "and", "的"})

_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEKDAY = re.compile(r"(?P<rel>下下个?|下个?|这个?|本)?(?:周|星期|礼拜|禮拜)(?P<day>[一二三四五六日天])")
_RU_WEEKDAYS = {
    "понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4,
    "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6,
}
_EN_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tues": 1, "wednesday": 2, "thursday": 3, "thurs": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}


@cache
def _month_names() -> dict[str, int]:
    """"december", "dec", "декабря", "дек", "нояб" ... -> month, from CLDR."""
    names: dict[str, int] = {"sept": 9, "сен": 9}
    for locale in ("en", "ru"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    names[name.casefold().rstrip(".").replace("ё", "е")] = month
    return names


@cache
def _weekday_names() -> dict[str, int]:
    """Weekday words and CLDR's abbreviations (mon, пн, 周一 is read by _ZH_WEEKDAY)."""
    names = {**_RU_WEEKDAYS, **_EN_WEEKDAYS}
    for locale in ("en", "ru"):
        for width in ("wide", "abbreviated"):
            for day, name in get_day_names(width, "format", locale).items():
                names.setdefault(name.casefold().rstrip("."), day)
    return names


def _alternatives(words: Iterable[str]) -> str:
    # Longest first: the regex takes the first alternative that matches (大后天 before 后天).
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    months = _alternatives(_month_names())
    year = r"(?:\s*,?\s*(?P<y>[0-9]{4})(?:\s*г\.?|\s*года)?)?"
    ordinal = r"(?:st|nd|rd|th|-?го|-?е)?"
    latin_parts = [w for w in _PART_WORDS if not _is_cjk(w)]
    latin_days = [w for w in _DAY_WORDS if not _is_cjk(w)]
    return {
        "iso": re.compile(r"(?P<y>[0-9]{4})[-/.](?P<a>[0-9]{1,2})[-/.](?P<b>[0-9]{1,2})(?![0-9])"),
        "numeric": re.compile(
            r"(?<![0-9:])(?P<a>[0-9]{1,2})(?P<sep>[./])(?P<b>[0-9]{1,2})(?:[./](?P<y>[0-9]{4}|[0-9]{2}))?(?![0-9:])"
        ),
        "zh_date": re.compile(r"(?:(?P<y>[0-9]{4})年)?(?P<a>[0-9]{1,2})月(?P<b>[0-9]{1,2})[日号號]?"),
        "day_month": re.compile(
            rf"(?<![0-9])(?P<b>[0-9]{{1,2}}){ordinal}\s*(?:of\s+)?{_L}(?P<mon>{months}){_R}\.?{year}"
        ),
        "month_day": re.compile(rf"{_L}(?P<mon>{months}){_R}\.?\s*(?P<b>[0-9]{{1,2}}){ordinal}(?![0-9:]){year}"),
        # "через 3 дня в 10:00", "in 2 days at 9am", "3天后上午10点": days ahead, then a time.
        "days_later": re.compile(
            rf"{_L}(?:через|in)\s+(?:(?P<n>[0-9]+|{_alternatives(_COUNT_WORDS)})\s*)?"
            rf"(?P<unit>дн(?:я|ей)|день|сутки|суток|недел[юиь]|days?|weeks?){_R}"
            rf"|(?P<zh_n>[0-9]+|{_ZH_NUMBER})\s*个?(?P<zh_unit>天|星期|周|礼拜)(?:以后|之后|后)"
        ),
        "day_word": re.compile(
            "|".join([_alternatives(w for w in _DAY_WORDS if _is_cjk(w)),
                      rf"{_L}(?:{_alternatives(latin_days)}){_R}"])
        ),
        "zh_weekday": _ZH_WEEKDAY,
        "weekday": re.compile(
            rf"{_L}(?:(?:в|во|on)\s+)?(?:(?P<next>next|следующ(?:ий|ую|ее|ей))|(?P<this>this|эт(?:от|у|о)))?\s*"
            rf"(?P<day>{_alternatives(_weekday_names())}){_R}\.?"
        ),
        "clock": re.compile(r"(?<![0-9])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?![0-9])"),
        "zh_clock": re.compile(
            rf"(?P<h>[0-9]{{1,2}}|{_ZH_NUMBER})\s*[点點时時](?:\s*(?P<m>[0-9]{{1,2}}|{_ZH_NUMBER})\s*分?|"
            r"(?P<half>半)|(?P<q1>一刻)|(?P<q3>三刻)|整|钟|鐘)?"
        ),
        "hour_word": re.compile(
            rf"(?<![0-9])(?P<h>[0-9]{{1,2}})\s*(?:o'?clock|час(?:а|ов)?{_R})"
            rf"(?:\s*(?P<m>[0-9]{{1,2}})\s*мин(?:ут[аы]?)?)?"
        ),
        "part": re.compile(
            "|".join([_alternatives(w for w in _PART_WORDS if _is_cjk(w)),
                      rf"{_L}(?:{_alternatives(latin_parts)})(?![a-zа-я.])"])
        ),
        "bare_hour": re.compile(r"^(?:(?:в|во|к|at|by|@)\s*)?(?P<h>[0-9]{1,2})$"),
    }


def _is_cjk(word: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in word)


@dataclass
class _Moment:
    """What was read from the text, before it is placed on the calendar."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    days_ahead: int | None = None
    weekday: int | None = None
    weeks_ahead: int | None = None  # None: the next such day; 0 this week, 1 next week
    hour: int | None = None
    minute: int = 0
    part: Part | None = None


def _take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    match = pattern.search(text)
    if match is None:
        return None, text
    return match, f"{text[:match.start()]} {text[match.end():]}"


def _date_order(first: int, second: int, separator: str, locale: str) -> tuple[int, int]:
    """(month, day) of "1.12" or "12/01": dots are day first except in Chinese, a slash is
    month first except in Russian; a reading with no such month is swapped."""
    month_first = locale == "zh" if separator == "." else locale != "ru"
    month, day = (first, second) if month_first else (second, first)
    if month > 12 >= day:
        month, day = day, month
    return month, day


def _read_moment(text: str, locale: str) -> _Moment | ParseError:
    regexes = _regexes()
    moment = _Moment()

    for name in ("iso", "zh_date", "day_month", "month_day", "numeric"):
        match, text = _take(regexes[name], text)
        if match is None:
            continue
        if name in ("iso", "zh_date"):
            moment.month, moment.day = int(match["a"]), int(match["b"])
        elif name == "numeric":
            moment.month, moment.day = _date_order(int(match["a"]), int(match["b"]), match["sep"], locale)
        else:
            moment.month, moment.day = _month_names()[match["mon"].rstrip(".")], int(match["b"])
        if match["y"]:
            year = int(match["y"])
            moment.year = year + 2000 if year < 100 else year
        break

    match, text = _take(regexes["days_later"], text)
    if match is not None:
        count, unit = (match["n"] or "1", match["unit"]) if match["unit"] else (match["zh_n"], match["zh_unit"])
        weeks = unit.startswith(("нед", "week")) or unit in ("星期", "周", "礼拜")
        moment.days_ahead = int(_number(count)) * (7 if weeks else 1)
    else:
        match, text = _take(regexes["day_word"], text)
        if match is not None:
            moment.days_ahead, moment.part = _DAY_WORDS[match[0].strip()]

    match, text = _take(regexes["zh_weekday"], text)
    if match is not None:
        moment.weekday = _ZH_WEEKDAYS[match["day"]]
        rel = match["rel"] or ""
        moment.weeks_ahead = 2 if rel.startswith("下下") else 1 if rel.startswith("下") else 0 if rel else None
    else:
        match, text = _take(regexes["weekday"], text)
        if match is not None:
            moment.weekday = _weekday_names()[match["day"]]
            moment.weeks_ahead = 1 if match["next"] else 0 if match["this"] else None

    if (match := regexes["clock"].search(text)) is not None:
        text = f"{text[:match.start()]} {text[match.end():]}"
        moment.hour, moment.minute = int(match["h"]), int(match["m"])
    elif (match := regexes["zh_clock"].search(text)) is not None:
        text = f"{text[:match.start()]} {text[match.end():]}"
        moment.hour = int(_number(match["h"]))
        minute = match["m"]
        moment.minute = (30 if match["half"] else 15 if match["q1"] else 45 if match["q3"]
                         else int(_number(minute)) if minute else 0)
    elif (match := regexes["hour_word"].search(text)) is not None:
        text = f"{text[:match.start()]} {text[match.end():]}"
        moment.hour, moment.minute = int(match["h"]), int(match["m"] or 0)

    while (match := regexes["part"].search(text)) is not None:
        text = f"{text[:match.start()]} {text[match.end():]}"
        moment.part = _PART_WORDS[match[0].strip()]

    words = [word for word in text.split() if word not in _FILLERS]
    if words and moment.hour is None:
        # A number after a day, a part of it or "в"/"at" is an hour: "завтра 10", "10 утра", "at 9".
        anchored = any(v is not None for v in (moment.month, moment.days_ahead, moment.weekday, moment.part))
        match = regexes["bare_hour"].fullmatch(" ".join(words))
        if match is not None and (anchored or match[0] != match["h"]):
            moment.hour, words = int(match["h"]), []
    if any(word not in _PREPOSITIONS for word in words):
        return ParseError.UNPARSEABLE
    if moment.hour is not None and (moment.hour > 23 or moment.minute > 59):
        return ParseError.NO_SUCH_TIME
    if moment.hour is None and moment.part is None and moment.month is None \
            and moment.days_ahead is None and moment.weekday is None:
        return ParseError.UNPARSEABLE
    return moment


def _place(moment: _Moment, local_now: datetime) -> datetime | ParseError:
    """The moment on the user's calendar: an unnamed day is the next one with that time."""
    today = local_now.date()
    if moment.hour is not None:
        clock = time(_apply_part(moment.hour, moment.part), moment.minute)
    else:
        clock = time((moment.part or Part.MORNING).value)
    tz = local_now.tzinfo

    def at(day: date) -> datetime:
        return datetime.combine(day, clock, tzinfo=tz)

    if moment.month is not None and moment.day is not None:
        year = moment.year or today.year
        try:
            day = date(year, moment.month, moment.day)
        except ValueError:
            return ParseError.NO_SUCH_DATE
        if moment.year is None and day < today:
            try:
                day = date(year + 1, moment.month, moment.day)
            except ValueError:
                return ParseError.NO_SUCH_DATE
        return at(day)
    if moment.days_ahead is not None:
        return at(today + timedelta(days=moment.days_ahead))
    if moment.weekday is not None:
        if moment.weeks_ahead is None:
            day = today + timedelta(days=(moment.weekday - today.weekday()) % 7)
            return at(day) if at(day) > local_now else at(day + timedelta(days=7))
        monday = today - timedelta(days=today.weekday())
        return at(monday + timedelta(days=7 * moment.weeks_ahead + moment.weekday))
    candidate = at(today)
    return candidate if candidate > local_now else at(today + timedelta(days=1))


def _normalize(text: str) -> str:
    # NFKC turns full-width digits and the full-width colon of Chinese input into ASCII.
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = re.sub(r"[,，、!?？。;；()（）]+", " ", text)
    return " ".join(text.split()).strip(" .")


def check_window(due: datetime, now_utc: datetime) -> datetime | ParseError:
    """``due`` in UTC if it is 1 minute to 90 days ahead of ``now_utc``, else why not."""
    ahead = due - now_utc
    if ahead < timedelta(0):
        return ParseError.IN_THE_PAST
    if ahead < MIN_DELAY:
        return ParseError.TOO_SOON
    if ahead > MAX_DELAY:
        return ParseError.TOO_FAR
    return due.astimezone(UTC)


# What tells the time: the real clock in the bot, a fake one in tests.
Clock = Callable[[], datetime]


def require_aware(*moments: datetime) -> None:
    """ValueError for a naive datetime: pure time code never guesses a time zone."""
    if any(moment.tzinfo is None for moment in moments):
        raise ValueError("datetimes must be timezone-aware")


def parse_due(text: str, now_utc: datetime, zone: str, locale: str = "en") -> datetime | ParseError:
    """The due time (aware, UTC) for what the user typed, or why it cannot be used.

    Read in the user's time zone ``zone``, relative to ``now_utc``; ``locale`` only decides
    whether "1.12" and "12/01" put the day or the month first. Accepted in Chinese, Russian
    and English: durations (半小时后, через 2 часа, in 1h 30m), day words with a time
    (明早9点, завтра в 10, tomorrow 9am), weekdays (下周一 10点, в пятницу вечером), dates
    (12月1日 10:00, 1.12 10:00, Dec 1, 2026-12-01 10:00) and a time alone (the next time the
    clock shows it). The due time must be 1 minute to 90 days ahead.
    """
    require_aware(now_utc)
    normalized = _normalize(text)
    if not normalized:
        return ParseError.UNPARSEABLE
    if _PAST_WORDS.search(normalized):
        return ParseError.IN_THE_PAST
    if _NOW_WORDS.fullmatch(normalized):
        return ParseError.TOO_SOON

    minutes = _duration_minutes(normalized)
    if minutes is not None:
        # Compared before building a timedelta: a huge count would overflow it.
        if minutes > MAX_DELAY / timedelta(minutes=1):
            return ParseError.TOO_FAR
        return check_window(now_utc + timedelta(minutes=minutes), now_utc)

    moment = _read_moment(normalized, locale)
    if isinstance(moment, ParseError):
        return moment
    due = _place(moment, now_utc.astimezone(zone_info(zone)))
    if isinstance(due, ParseError):
        return due
    return check_window(due, now_utc)


# A question typed at the time step is answered, not taken for a bad time.
_QUESTION = re.compile(
    r"[?？]|吗|怎么|什么|如何|为什么|能不能|哪|多少|"
    rf"{_L}(?:how|what|why|where|which|can|could|should|do|does|is|are|как|что|почему|где|можно|нужно|ли|"
    rf"сколько|зачем|какой|какие){_R}"
)


def looks_like_question(text: str) -> bool:
    return _QUESTION.search(unicodedata.normalize("NFKC", text).casefold()) is not None


def error_msgids(error: ParseError) -> tuple[str, str]:
    """What went wrong, then the accepted forms with examples (format it with tz=...)."""
    return ERROR_TEXTS[error], FORMS_HELP


# --- how a time is shown -------------------------------------------------------------------


def format_when(when_utc: datetime, zone: str, now_utc: datetime, locale: str,
                gettext: Callable[[str], str]) -> str:
    """"today 21:00", "завтра в 09:00", "11月23日周一 10:00": as people say it, on the user's
    clock; parse_due reads each of these back."""
    tz = zone_info(zone)
    local, today = when_utc.astimezone(tz), now_utc.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return gettext(TODAY_AT).format(time=clock)
    if local.date() == today + timedelta(days=1):
        return gettext(TOMORROW_AT).format(time=clock)
    return f"{format_skeleton('MMMEd', local, locale=locale)} {clock}"


# --- presets ----------------------------------------------------------------------------------


class Preset(StrEnum):
    IN_1H = "in_1h"
    THIS_EVENING = "this_evening"
    TOMORROW_MORNING = "tomorrow_morning"
    IN_3D = "in_3d"
    IN_1W = "in_1w"


# Typed back, each label means its preset (a test checks it in every language).
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


def preset_due(preset_id: str, now_utc: datetime, zone: str) -> datetime:
    """Due time (aware, UTC) of a preset; ValueError for an unknown preset id."""
    require_aware(now_utc)
    preset = Preset(preset_id)
    if preset in _FIXED_PRESET_DELAYS:
        return (now_utc + _FIXED_PRESET_DELAYS[preset]).astimezone(UTC)
    local_now = now_utc.astimezone(zone_info(zone))
    if preset is Preset.THIS_EVENING:
        hour, minute = EVENING
        days = 0 if local_now.hour < EVENING_CUTOFF_HOUR else 1
    else:
        hour, minute = MORNING
        days = 0 if local_now.hour < NIGHT_END_HOUR else 1
    local_due = datetime.combine(local_now.date() + timedelta(days=days), time(hour, minute), tzinfo=local_now.tzinfo)
    return local_due.astimezone(UTC)


def available_presets(now_utc: datetime, zone: str) -> list[Preset]:
    """Presets worth offering now: "this evening" only before the evening cutoff."""
    require_aware(now_utc)
    local_hour = now_utc.astimezone(zone_info(zone)).hour
    return [
        preset
        for preset in Preset
        if preset is not Preset.THIS_EVENING or local_hour < EVENING_CUTOFF_HOUR
    ]
