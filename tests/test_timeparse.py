from datetime import UTC, datetime, timedelta, timezone

import pytest

from flows.timeparse import (
    FORMS_HELP,
    TIMEZONE_OFFSETS,
    ParseError,
    Preset,
    available_presets,
    error_msgids,
    format_local,
    format_offset,
    parse_due,
    parse_offset,
    preset_due,
)

NOW = datetime(2026, 11, 21, 12, 0, 30, tzinfo=UTC)  # 15:00:30 Moscow, 20:00:30 Beijing
MSK, BJ = 180, 480


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "delay"),
    [
        ("30m", timedelta(minutes=30)),
        ("1m", timedelta(minutes=1)),
        ("90 min", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("2 h", timedelta(hours=2)),
        ("2 hours", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("2 W", timedelta(weeks=2)),
        ("in 2h", timedelta(hours=2)),
        ("  45  min  ", timedelta(minutes=45)),
        ("30分钟", timedelta(minutes=30)),
        ("30分钟后", timedelta(minutes=30)),
        ("2小时", timedelta(hours=2)),
        ("2个小时以后", timedelta(hours=2)),
        ("两小时", timedelta(hours=2)),
        ("十五分钟", timedelta(minutes=15)),
        ("二十五分钟", timedelta(minutes=25)),
        ("半小时", timedelta(minutes=30)),
        ("3天", timedelta(days=3)),
        ("1周", timedelta(weeks=1)),
        ("一个星期", timedelta(weeks=1)),
        ("３０分钟", timedelta(minutes=30)),
        ("30 мин", timedelta(minutes=30)),
        ("30 мин.", timedelta(minutes=30)),
        ("2 ч", timedelta(hours=2)),
        ("через 2 часа", timedelta(hours=2)),
        ("3 дн", timedelta(days=3)),
        ("3 дня", timedelta(days=3)),
        ("1 нед", timedelta(weeks=1)),
        ("полчаса", timedelta(minutes=30)),
        ("90d", timedelta(days=90)),
        ("129600m", timedelta(days=90)),
    ],
)
def test_durations(text: str, delay: timedelta) -> None:
    assert parse_due(text, NOW, MSK) == NOW + delay


def test_due_is_utc() -> None:
    due = parse_due("2h", NOW.astimezone(timezone(timedelta(hours=8))), BJ)
    assert isinstance(due, datetime)
    assert due.utcoffset() == timedelta(0)
    assert due == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", ParseError.UNPARSEABLE),
        ("soon", ParseError.UNPARSEABLE),
        ("m", ParseError.UNPARSEABLE),
        ("30", ParseError.UNPARSEABLE),
        ("30s", ParseError.UNPARSEABLE),
        ("1.5h", ParseError.UNPARSEABLE),
        ("2h30m", ParseError.UNPARSEABLE),
        ("-5m", ParseError.UNPARSEABLE),
        ("-1d", ParseError.UNPARSEABLE),
        ("3 months", ParseError.UNPARSEABLE),
        ("十十分钟", ParseError.UNPARSEABLE),
        ("25:00", ParseError.UNPARSEABLE),
        ("12:60", ParseError.UNPARSEABLE),
        ("2026-02-30 10:00", ParseError.UNPARSEABLE),
        ("2026-13-01 10:00", ParseError.UNPARSEABLE),
        ("0m", ParseError.TOO_SOON),
        ("0 мин", ParseError.TOO_SOON),
        ("91d", ParseError.TOO_FAR),
        ("129601m", ParseError.TOO_FAR),
        ("13w", ParseError.TOO_FAR),
        ("99999999999999w", ParseError.TOO_FAR),
    ],
)
def test_duration_errors(text: str, error: ParseError) -> None:
    assert parse_due(text, NOW, MSK) is error


@pytest.mark.parametrize(
    ("text", "now", "offset", "due"),
    [
        pytest.param("18:00", NOW, MSK, at(2026, 11, 21, 15, 0), id="msk-later-today"),
        pytest.param("14:00", NOW, MSK, at(2026, 11, 22, 11, 0), id="msk-passed-tomorrow"),
        pytest.param("15:00", NOW, MSK, at(2026, 11, 22, 12, 0), id="msk-this-minute-passed"),
        pytest.param("9:05", NOW, MSK, at(2026, 11, 22, 6, 5), id="one-digit-hour"),
        pytest.param("21:30", NOW, BJ, at(2026, 11, 21, 13, 30), id="bj-later-today"),
        pytest.param("２０：３０", NOW, BJ, at(2026, 11, 21, 12, 30), id="fullwidth"),
        # 23:50 Moscow: 00:10 is after local midnight, 20 minutes away.
        pytest.param(
            "00:10",
            at(2026, 11, 21, 20, 50),
            MSK,
            at(2026, 11, 21, 21, 10),
            id="msk-across-midnight",
        ),
        # 07:00 UTC is already 15:00 in Beijing: 09:00 Beijing has passed, so tomorrow's.
        pytest.param("09:00", at(2026, 11, 21, 7, 0), BJ, at(2026, 11, 22, 1, 0), id="bj-tomorrow"),
        # 20:00 UTC on the 21st is 04:00 on the 22nd in Beijing: 09:00 is "today" there,
        # a date the UTC clock has not reached yet.
        pytest.param(
            "09:00",
            at(2026, 11, 21, 20, 0),
            BJ,
            at(2026, 11, 22, 1, 0),
            id="bj-local-date-ahead-of-utc",
        ),
        # UTC-5 at 21:00 local is 02:00 UTC the next day; 22:00 local is still today there.
        pytest.param(
            "22:00",
            at(2026, 11, 22, 2, 0),
            -300,
            at(2026, 11, 22, 3, 0),
            id="negative-offset",
        ),
        # 11:30 in India: noon is half an hour away.
        pytest.param(
            "12:00",
            at(2026, 11, 21, 6, 0),
            330,
            at(2026, 11, 21, 6, 30),
            id="half-hour-offset",
        ),
        pytest.param("2026-11-22 09:00", NOW, BJ, at(2026, 11, 22, 1, 0), id="date-bj"),
        pytest.param("2026-11-22 9:00", NOW, MSK, at(2026, 11, 22, 6, 0), id="date-one-digit-hour"),
        pytest.param("2026/12/01 10:15", NOW, MSK, at(2026, 12, 1, 7, 15), id="date-slashes"),
        pytest.param("2026-11-21T15:02", NOW, MSK, at(2026, 11, 21, 12, 2), id="date-t-separator"),
    ],
)
def test_local_times(text: str, now: datetime, offset: int, due: datetime) -> None:
    assert parse_due(text, now, offset) == due


@pytest.mark.parametrize(
    ("text", "offset", "error"),
    [
        pytest.param("15:01", MSK, ParseError.TOO_SOON, id="hhmm-30s-ahead"),
        pytest.param("2026-11-21 15:01", MSK, ParseError.TOO_SOON, id="date-30s-ahead"),
        pytest.param("2026-11-21 15:00", MSK, ParseError.IN_THE_PAST, id="date-30s-ago"),
        pytest.param("2025-01-01 00:00", MSK, ParseError.IN_THE_PAST, id="last-year"),
        pytest.param("2027-02-20 15:00", MSK, ParseError.TOO_FAR, id="91-days"),
    ],
)
def test_local_time_errors(text: str, offset: int, error: ParseError) -> None:
    assert parse_due(text, NOW, offset) is error


def test_ninety_days_by_date_is_accepted() -> None:
    assert parse_due("2027-02-19 15:00", NOW, MSK) == at(2027, 2, 19, 12, 0)


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_due("2h", datetime(2026, 11, 21, 12, 0), MSK)


@pytest.mark.parametrize("offset", [-721, 841])
def test_offset_out_of_range_is_rejected(offset: int) -> None:
    with pytest.raises(ValueError):
        parse_due("2h", NOW, offset)


@pytest.mark.parametrize("error", list(ParseError))
def test_every_error_has_a_text_and_the_forms(error: ParseError) -> None:
    headline, forms = error_msgids(error)
    assert headline and forms == FORMS_HELP
    assert "{tz}" in forms


@pytest.mark.parametrize(
    ("preset", "now", "offset", "due"),
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
def test_preset_due(preset: Preset, now: datetime, offset: int, due: datetime) -> None:
    result = preset_due(preset.value, now, offset)
    assert result == due
    assert result.utcoffset() == timedelta(0)


def test_unknown_preset_is_rejected() -> None:
    with pytest.raises(ValueError):
        preset_due("next_year", NOW, MSK)


@pytest.mark.parametrize(
    ("now", "offset", "evening_offered"),
    [
        pytest.param(at(2026, 11, 21, 14, 59), MSK, True, id="17:59"),
        pytest.param(at(2026, 11, 21, 15, 0), MSK, False, id="18:00"),
        pytest.param(NOW, BJ, False, id="20:00-bj"),
    ],
)
def test_available_presets(now: datetime, offset: int, evening_offered: bool) -> None:
    presets = available_presets(now, offset)
    assert (Preset.THIS_EVENING in presets) is evening_offered
    assert len(presets) == len(Preset) - (0 if evening_offered else 1)


@pytest.mark.parametrize(
    ("minutes", "label"),
    [(480, "UTC+8"), (180, "UTC+3"), (0, "UTC+0"), (-180, "UTC-3"), (-720, "UTC-12"),
     (840, "UTC+14"), (330, "UTC+5:30"), (345, "UTC+5:45"), (-210, "UTC-3:30")],
)
def test_format_offset(minutes: int, label: str) -> None:
    assert format_offset(minutes) == label


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("UTC+8", 480), ("utc +3", 180), ("GMT-3", -180), ("+5:30", 330), ("UTC+5:45", 345),
     ("UTC", 0), ("UTC+0", 0), ("UTC-12", -720), ("UTC+15", None), ("UTC+5:15", None),
     ("Moscow", None), ("8", None)],
)
def test_parse_offset(text: str, minutes: int | None) -> None:
    assert parse_offset(text) == minutes


def test_timezone_offsets_cover_the_range() -> None:
    assert TIMEZONE_OFFSETS[0] == -720 and TIMEZONE_OFFSETS[-1] == 840
    assert {180, 480, 330, 345} <= set(TIMEZONE_OFFSETS)
    assert list(TIMEZONE_OFFSETS) == sorted(set(TIMEZONE_OFFSETS))
    assert len(TIMEZONE_OFFSETS) == 27 + 2
    assert all(format_offset(m) and parse_offset(format_offset(m)) == m for m in TIMEZONE_OFFSETS)


def test_format_local() -> None:
    assert format_local(at(2026, 11, 21, 20, 50), MSK) == "2026-11-21 23:50"
    assert format_local(at(2026, 11, 21, 20, 50), BJ) == "2026-11-22 04:50"
