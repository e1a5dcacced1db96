"""A user's time zone: found from what they type (a city, an IANA name, a UTC offset),
stored as an IANA name, shown as a city.

Pure code. Zones come from zoneinfo with the tzdata package, so that every machine knows
them; city names in Chinese, Russian and English come from Babel's CLDR data, plus a few
aliases people use for a zone whose CLDR city is another one (北京 is Asia/Shanghai).
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location

from flows.texts import N_

MIN_OFFSET = -12 * 60
MAX_OFFSET = 14 * 60
UTC_ZONE = "Etc/UTC"


@dataclass(frozen=True)
class City:
    zone: str
    name: str  # msgid


# The buttons: where the bot's users mostly live (Russia's large time zones, and China for
# those already back home); any other city is typed.
CITY_BUTTONS: tuple[City, ...] = (
    City("Europe/Moscow", N_("Moscow")),
    City("Asia/Shanghai", N_("Beijing")),
    City("Asia/Yekaterinburg", N_("Yekaterinburg")),
    City("Asia/Novosibirsk", N_("Novosibirsk")),
    City("Asia/Irkutsk", N_("Irkutsk")),
    City("Asia/Vladivostok", N_("Vladivostok")),
)

# Names CLDR does not give to the zone people mean: capitals and big cities that share a
# zone with its exemplar city, and common short forms.
_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("北京", "中国", "广州", "深圳", "哈尔滨", "沈阳", "大连", "长春", "天津", "杭州", "南京",
         "武汉", "成都", "西安", "重庆", "beijing", "peking", "china", "пекин", "китай", "харбин",
         "гуанчжоу", "шэньчжэнь"),
        "Asia/Shanghai",
    ),
    **dict.fromkeys(
        ("圣彼得堡", "彼得堡", "喀山", "索契", "мск", "msk", "санкт-петербург", "петербург", "питер",
         "спб", "saint petersburg", "st petersburg", "st. petersburg", "казань", "kazan", "сочи",
         "нижний новгород", "краснодар", "ростов-на-дону", "московское"),
        "Europe/Moscow",
    ),
    **dict.fromkeys(("海参崴", "哈巴罗夫斯克", "伯力", "хабаровск", "khabarovsk"), "Asia/Vladivostok"),
    **dict.fromkeys(("布拉戈维申斯克", "海兰泡", "благовещенск", "blagoveshchensk"), "Asia/Yakutsk"),
    **dict.fromkeys(("乌兰乌德", "улан-удэ", "ulan-ude"), "Asia/Irkutsk"),
    **dict.fromkeys(("челябинск", "пермь", "тюмень", "уфа", "chelyabinsk", "perm", "tyumen", "ufa"),
                    "Asia/Yekaterinburg"),
    **dict.fromkeys(("utc", "gmt", "utc+0", "gmt+0", "utc0"), UTC_ZONE),
}
# "北京时间", "московское время", "Moscow time": the zone word around a city is dropped.
_ZONE_WORDS = re.compile(r"时间|时区|(?<![a-zа-я])(?:time|zone|время|по)(?![a-zа-я])")
# "МСК+4", as Russian timetables say, is four hours ahead of Moscow.
_OFFSET = re.compile(
    r"(?:utc|gmt|(?P<moscow>мск|msk))?(?P<sign>[+-])(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?"
)
MOSCOW_OFFSET = 3 * 60
# Offsets that are not whole hours have no Etc/ zone: the zone that uses each one.
_FRACTIONAL_OFFSET_ZONES: dict[int, str] = {
    -570: "Pacific/Marquesas",
    -210: "America/St_Johns",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
    630: "Australia/Lord_Howe",
    765: "Pacific/Chatham",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(text.replace("_", " ").split())


@cache
def _zones_by_name() -> dict[str, str]:
    """Every name a zone may be typed as (its IANA name, its city in zh/ru/en) -> zone."""
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    names: dict[str, str] = {}
    for zone in zones:
        names[_fold(zone)] = zone
        names.setdefault(_fold(zone.rsplit("/", 1)[1]), zone)
    for locale in ("en", "ru", "zh"):
        for zone in zones:
            city = _cldr_city(zone, locale)
            if city:
                names.setdefault(_fold(city), zone)
    names.update({_fold(alias): zone for alias, zone in _ALIASES.items()})
    return names


@cache
def _cldr_keys() -> dict[str, tuple[str, ...]]:
    """IANA name -> the names CLDR may file it under: CLDR keeps old names (Asia/Calcutta
    for Asia/Kolkata), and Babel's lookup by the new name then misses the city."""
    keys: dict[str, list[str]] = {}
    for old, new in get_global("zone_aliases").items():
        keys.setdefault(new, []).append(old)
    return {zone: tuple(olds) for zone, olds in keys.items()}


def _cldr_city(zone: str, locale: str) -> str | None:
    data = Locale.parse(locale).time_zones
    for key in (zone, *_cldr_keys().get(zone, ())):
        city = data.get(key, {}).get("city")
        if city:
            return city
    return None


def offset_zone(offset_minutes: int) -> str | None:
    """The IANA zone for a UTC offset (Etc/GMT-8 is UTC+8: POSIX signs are inverted)."""
    if not MIN_OFFSET <= offset_minutes <= MAX_OFFSET:
        return None
    if offset_minutes == 0:
        return UTC_ZONE
    if offset_minutes % 60:
        return _FRACTIONAL_OFFSET_ZONES.get(offset_minutes)
    hours = offset_minutes // 60
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def find_zone(text: str) -> str | None:
    """The IANA zone for what a user typed: 北京, Новосибирск, Almaty, Asia/Shanghai,
    UTC+8, +5:30; None when it names no zone."""
    folded = _fold(text).strip(" .!?？。")
    compact = folded.replace(" ", "")
    if match := _OFFSET.fullmatch(compact):
        minutes = int(match["hours"]) * 60 + int(match["minutes"] or 0)
        offset = -minutes if match["sign"] == "-" else minutes
        return offset_zone(offset + (MOSCOW_OFFSET if match["moscow"] else 0))
    names = _zones_by_name()
    if folded in names:
        return names[folded]
    stripped = " ".join(_ZONE_WORDS.sub(" ", folded).split())
    return names.get(stripped) or names.get(stripped.replace(" ", "")) if stripped else None


def is_zone(zone: str) -> bool:
    return zone == UTC_ZONE or zone in zoneinfo.available_timezones()


def zone_info(zone: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone)


def format_offset(offset_minutes: int) -> str:
    """UTC+8, UTC-3, UTC+5:30, UTC+0."""
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def utc_offset_minutes(zone: str, when: datetime) -> int:
    offset = when.astimezone(zone_info(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def zone_label(zone: str, when: datetime, locale: str, gettext: Callable[[str], str]) -> str:
    """How a zone is shown: "Москва (UTC+3)", "北京 (UTC+8)"; an offset alone only for a
    zone that is one (Etc/GMT-5, chosen by typing UTC+5)."""
    msgid = next((city.name for city in CITY_BUTTONS if city.zone == zone), None)
    if msgid is not None:
        city: str | None = gettext(msgid)
    elif zone.startswith("Etc/"):
        city = None
    else:
        city = _cldr_city(zone, locale) or get_timezone_location(zone, locale=locale, return_city=True)
    offset = format_offset(utc_offset_minutes(zone, when))
    return f"{city} ({offset})" if city else offset
