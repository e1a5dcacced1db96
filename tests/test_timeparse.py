"""The hand-written time parser: the table of typed times in three languages
(tests/data/times.tsv), the bot's own labels and shown times typed back, presets."""

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.timeparse import (
    ERROR_TEXTS,
    FORMS_HELP,
    PRESET_LABELS,
    ParseError,
    Preset,
    available_presets,
    error_msgids,
    format_when,
    parse_due,
    preset_due,
)
from flows.timezones import zone_info

NOW = datetime(2026, 11, 21, 12, 0, 30, tzinfo=UTC)  # 15:00:30 Moscow, 20:00:30 Beijing
MSK, BJ = "Europe/Moscow", "Asia/Shanghai"

TABLE = Path(__file__).parent / "data" / "times.tsv"
# The table's clock: a Saturday, 17:00 in Beijing and 12:00 in Moscow.
TABLE_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TABLE_ZONES = {"zh": BJ, "ru": MSK, "en": MSK}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def table() -> list:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [pytest.param(row["lang"], row["text"], row["expected"], id=f"{row['lang']}-{row['text']}")
            for row in csv.DictReader(lines, delimiter="\t")]


def test_the_table_is_large_and_in_three_languages() -> None:
    rows = table()
    assert len(rows) >= 150
    counts = {lang: sum(row.values[0] == lang for row in rows) for lang in TABLE_ZONES}
    assert min(counts.values()) >= 50, counts
    expected = {row.values[2] for row in rows}
    assert {error.value for error in ParseError} <= expected


@pytest.mark.parametrize(("lang", "text", "expected"), table())
def test_typed_times(lang: str, text: str, expected: str) -> None:
    zone = TABLE_ZONES[lang]
    result = parse_due(text, TABLE_NOW, zone, lang)
    if isinstance(result, ParseError):
        assert result.value == expected
    else:
        assert result.utcoffset() == timedelta(0)
        assert result.astimezone(zone_info(zone)).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    ("locale", "text", "month_day"),
    [("zh", "1.12 10:00", (1, 12)), ("ru", "1.12 10:00", (12, 1)), ("en", "1.12 10:00", (12, 1)),
     ("zh", "12/01 10:00", (12, 1)), ("en", "12/01 10:00", (12, 1)), ("ru", "12/01 10:00", (1, 12)),
     # A reading with no such month is swapped, whatever the language.
     ("zh", "25.12 10:00", (12, 25)), ("en", "25/12 10:00", (12, 25))],
)
def test_which_number_is_the_month_depends_on_the_language(locale: str, text: str, month_day: tuple) -> None:
    due = parse_due(text, TABLE_NOW, MSK, locale).astimezone(zone_info(MSK))
    assert (due.month, due.day, due.hour) == (*month_day, 10)


def test_times_are_read_in_the_users_zone() -> None:
    assert parse_due("21:00", TABLE_NOW, BJ) == at(2026, 11, 21, 13, 0)
    assert parse_due("21:00", TABLE_NOW, MSK) == at(2026, 11, 21, 18, 0)
    assert parse_due("21:00", TABLE_NOW, "Asia/Vladivostok") == at(2026, 11, 21, 11, 0)
    assert parse_due("18:00", TABLE_NOW, "Asia/Vladivostok") == at(2026, 11, 22, 8, 0)
    # A duration does not depend on the zone.
    assert parse_due("2h", TABLE_NOW, "Asia/Vladivostok") == TABLE_NOW + timedelta(hours=2)


def test_ninety_days_is_the_limit() -> None:
    assert parse_due("90d", NOW, MSK) == NOW + timedelta(days=90)
    assert parse_due("91d", NOW, MSK) is ParseError.TOO_FAR
    assert parse_due("99999999999 weeks", NOW, MSK) is ParseError.TOO_FAR


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_due("2h", datetime(2026, 11, 21, 12, 0), MSK)


@pytest.mark.parametrize("error", list(ParseError))
def test_every_error_has_a_text_and_the_forms(error: ParseError) -> None:
    headline, forms = error_msgids(error)
    assert headline == ERROR_TEXTS[error] and forms == FORMS_HELP
    assert "{tz}" in forms


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
def test_the_examples_the_bot_gives_can_be_typed(gettext, locale: str) -> None:
    examples = re.findall(r"<code>(.*?)</code>", gettext(FORMS_HELP, locale))
    assert len(examples) >= 4
    for example in examples:
        assert isinstance(parse_due(example, TABLE_NOW, MSK, locale), datetime), example


@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
@pytest.mark.parametrize("preset", list(Preset))
def test_preset_labels_typed_back_mean_the_preset(gettext, locale: str, preset: Preset) -> None:
    label = gettext(PRESET_LABELS[preset], locale)
    assert parse_due(label, TABLE_NOW, MSK, locale) == preset_due(preset.value, TABLE_NOW, MSK)


@pytest.mark.parametrize(
    ("due", "shown"),
    [
        pytest.param(at(2026, 11, 21, 18, 0), {"zh": "今天 21:00", "ru": "сегодня в 21:00", "en": "today 21:00"},
                     id="today"),
        pytest.param(at(2026, 11, 22, 6, 0), {"zh": "明天 09:00", "ru": "завтра в 09:00", "en": "tomorrow 09:00"},
                     id="tomorrow"),
        pytest.param(at(2026, 11, 23, 7, 0),
                     {"zh": "11月23日周一 10:00", "ru": "пн, 23 нояб. 10:00", "en": "Mon, Nov 23 10:00"}, id="later"),
        pytest.param(at(2027, 1, 5, 7, 0),
                     {"zh": "1月5日周二 10:00", "ru": "вт, 5 янв. 10:00", "en": "Tue, Jan 5 10:00"}, id="next-year"),
    ],
)
@pytest.mark.parametrize("locale", ["zh", "ru", "en"])
def test_times_are_shown_as_people_say_them_and_read_back(gettext, locale: str, due: datetime, shown: dict) -> None:
    text = format_when(due, MSK, TABLE_NOW, locale, lambda msgid: gettext(msgid, locale))
    assert text == shown[locale]
    assert parse_due(text, TABLE_NOW, MSK, locale) == due


def test_today_and_tomorrow_follow_the_users_calendar() -> None:
    # 23:30 in Moscow is already the next day in Beijing.
    due, now = at(2026, 11, 21, 20, 30), at(2026, 11, 21, 15, 0)
    assert format_when(due, MSK, now, "en", str) == "today 23:30"
    assert format_when(due, BJ, now, "en", str) == "tomorrow 04:30"


@pytest.mark.parametrize(
    ("preset", "now", "zone", "due"),
    [
        pytest.param(Preset.IN_1H, NOW, MSK, NOW + timedelta(hours=1), id="in_1h"),
        pytest.param(Preset.IN_3D, NOW, MSK, NOW + timedelta(days=3), id="in_3d"),
        pytest.param(Preset.IN_1W, NOW, BJ, NOW + timedelta(weeks=1), id="in_1w"),
        # 15:00 Moscow: this evening is today.
        pytest.param(Preset.THIS_EVENING, NOW, MSK, at(2026, 11, 21, 16, 0), id="evening-today"),
        # 17:59 Moscow: still today.
        pytest.param(
            Preset.THIS_EVENING,
            at(2026, 11, 21, 14, 59),
            MSK,
            at(2026, 11, 21, 16, 0),
            id="evening-before-cutoff",
        ),
        # 18:00 Moscow: from the cutoff on, tomorrow evening.
        pytest.param(
            Preset.THIS_EVENING,
            at(2026, 11, 21, 15, 0),
            MSK,
            at(2026, 11, 22, 16, 0),
            id="evening-at-cutoff",
        ),
        # 20:00 Beijing: tomorrow 19:00 Beijing.
        pytest.param(Preset.THIS_EVENING, NOW, BJ, at(2026, 11, 22, 11, 0), id="evening-bj-late"),
        pytest.param(Preset.TOMORROW_MORNING, NOW, MSK, at(2026, 11, 22, 6, 0), id="morning-msk"),
        # 20:00 Beijing on the 21st: 09:00 Beijing on the 22nd is 01:00 UTC.
        pytest.param(Preset.TOMORROW_MORNING, NOW, BJ, at(2026, 11, 22, 1, 0), id="morning-bj"),
        # 02:00 Moscow: someone up late gets the coming morning.
        pytest.param(
            Preset.TOMORROW_MORNING,
            at(2026, 11, 20, 23, 0),
            MSK,
            at(2026, 11, 21, 6, 0),
            id="morning-after-midnight",
        ),
        # 04:00 Moscow: the night is over, tomorrow means the next day.
        pytest.param(
            Preset.TOMORROW_MORNING,
            at(2026, 11, 21, 1, 0),
            MSK,
            at(2026, 11, 22, 6, 0),
            id="morning-at-night-end",
        ),
    ],
)
def test_preset_due(preset: Preset, now: datetime, zone: str, due: datetime) -> None:
    result = preset_due(preset.value, now, zone)
    assert result == due
    assert result.utcoffset() == timedelta(0)


def test_unknown_preset_is_rejected() -> None:
    with pytest.raises(ValueError):
        preset_due("next_year", NOW, MSK)


@pytest.mark.parametrize(
    ("now", "zone", "evening_offered"),
    [
        pytest.param(at(2026, 11, 21, 14, 59), MSK, True, id="17:59"),
        pytest.param(at(2026, 11, 21, 15, 0), MSK, False, id="18:00"),
        pytest.param(NOW, BJ, False, id="20:00-bj"),
    ],
)
def test_available_presets(now: datetime, zone: str, evening_offered: bool) -> None:
    presets = available_presets(now, zone)
    assert (Preset.THIS_EVENING in presets) is evening_offered
    assert len(presets) == len(Preset) - (0 if evening_offered else 1)


