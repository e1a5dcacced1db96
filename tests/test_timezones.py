"""Time zones found from what users type, stored as IANA names, shown as cities."""

from datetime import UTC, datetime, timedelta

import pytest

from flows.timeparse import parse_due
from flows.timezones import (
    CITY_BUTTONS,
    find_zone,
    format_offset,
    is_zone,
    offset_zone,
    zone_info,
    zone_label,
)

WINTER = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("北京", "Asia/Shanghai"), ("上海", "Asia/Shanghai"), ("北京时间", "Asia/Shanghai"),
        ("莫斯科", "Europe/Moscow"), ("莫斯科时间", "Europe/Moscow"), ("新西伯利亚", "Asia/Novosibirsk"),
        ("海参崴", "Asia/Vladivostok"), ("阿拉木图", "Asia/Almaty"),
        ("Новосибирск", "Asia/Novosibirsk"), ("Владивосток", "Asia/Vladivostok"), ("москва", "Europe/Moscow"),
        ("московское время", "Europe/Moscow"), ("МСК", "Europe/Moscow"), ("Питер", "Europe/Moscow"),
        ("Алматы", "Asia/Almaty"), ("Пекин", "Asia/Shanghai"), ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Almaty", "Asia/Almaty"), ("Moscow time", "Europe/Moscow"), ("Beijing", "Asia/Shanghai"),
        ("novosibirsk", "Asia/Novosibirsk"), ("Asia/Shanghai", "Asia/Shanghai"), ("Europe/Moscow", "Europe/Moscow"),
        ("asia/vladivostok", "Asia/Vladivostok"), ("Hong Kong", "Asia/Hong_Kong"),
        ("UTC+8", "Etc/GMT-8"), ("utc +3", "Etc/GMT-3"), ("GMT-3", "Etc/GMT+3"), ("+5:30", "Asia/Kolkata"),
        ("UTC+5:45", "Asia/Kathmandu"), ("UTC", "Etc/UTC"), ("UTC+0", "Etc/UTC"), ("UTC-12", "Etc/GMT+12"),
        ("UTC+14", "Etc/GMT-14"), ("莫斯科?", "Europe/Moscow"), ("МСК+4", "Etc/GMT-7"),
    ],
)
def test_zones_are_found_by_city_name_or_offset(text: str, zone: str) -> None:
    assert find_zone(text) == zone


@pytest.mark.parametrize("text", ["Atlantis", "UTC+15", "UTC+5:15", "8", "", "明天", "Россия"])
def test_what_names_no_zone_is_none(text: str) -> None:
    assert find_zone(text) is None


def test_every_whole_hour_offset_is_a_zone_with_that_offset() -> None:
    for hours in range(-12, 15):
        zone = offset_zone(hours * 60)
        assert zone is not None and is_zone(zone)
        assert WINTER.astimezone(zone_info(zone)).utcoffset() == timedelta(hours=hours)
        assert find_zone(format_offset(hours * 60)) == zone


def test_the_city_buttons_are_real_zones() -> None:
    assert len(CITY_BUTTONS) >= 4 and all(is_zone(city.zone) for city in CITY_BUTTONS)


@pytest.mark.parametrize(
    ("zone", "locale", "when", "label"),
    [
        ("Europe/Moscow", "ru", WINTER, "Москва (UTC+3)"),
        ("Asia/Shanghai", "zh", WINTER, "北京 (UTC+8)"),
        ("Asia/Shanghai", "en", WINTER, "Beijing (UTC+8)"),
        ("Asia/Almaty", "ru", WINTER, "Алматы (UTC+5)"),
        ("Asia/Kolkata", "zh", WINTER, "加尔各答 (UTC+5:30)"),
        ("Etc/GMT-5", "en", WINTER, "UTC+5"),
        ("Europe/Berlin", "en", WINTER, "Berlin (UTC+1)"),
        ("Europe/Berlin", "en", SUMMER, "Berlin (UTC+2)"),
    ],
)
def test_zones_are_shown_as_a_city(zone: str, locale: str, when: datetime, label: str) -> None:
    translations = {"Beijing": {"zh": "北京", "en": "Beijing"}, "Moscow": {"ru": "Москва"}}
    assert zone_label(zone, when, locale, lambda msgid: translations[msgid][locale]) == label


def test_local_times_follow_daylight_saving() -> None:
    # Berlin leaves summer time on 2026-10-25: 10:00 is 08:00 UTC before and 09:00 UTC after.
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert parse_due("today 20:00", saturday, "Europe/Berlin") == datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    assert parse_due("tomorrow 10:00", saturday, "Europe/Berlin") == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
