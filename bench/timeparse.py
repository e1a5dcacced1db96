"""The hand-written time parser against dateparser, on the table of typed times.

    python bench/timeparse.py

Reads tests/data/times.tsv (language, text, expected local time or error) and prints, per
parser and language, how many it reads right and the time per parse; then the import time
and memory of each. dateparser is not a dependency of the bot: install it to compare
(``pip install dateparser~=1.5.0``); without it only the hand-written parser is measured.
A dateparser result is put through the same 1 minute to 90 days window as the bot's own,
so that its "past" and "too far" count too; it has no way to say "no such time".
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.timeparse import ParseError, check_window, parse_due
from flows.timezones import zone_info

TABLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "times.tsv"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
ZONES = {"zh": "Asia/Shanghai", "ru": "Europe/Moscow", "en": "Europe/Moscow"}


def load() -> list[tuple[str, str, str]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [(row["lang"], row["text"], row["expected"]) for row in csv.DictReader(lines, delimiter="\t")]


def shown(result: datetime | ParseError | None, zone: str) -> str:
    if result is None:
        return ParseError.UNPARSEABLE.value
    if isinstance(result, ParseError):
        return result.value
    return result.astimezone(zone_info(zone)).strftime("%Y-%m-%d %H:%M")


def hand(text: str, lang: str) -> str:
    return shown(parse_due(text, NOW, ZONES[lang], lang), ZONES[lang])


def with_dateparser():
    import dateparser

    def parse(text: str, lang: str) -> str:
        zone = ZONES[lang]
        local_now = NOW.astimezone(zone_info(zone)).replace(tzinfo=None)
        result = dateparser.parse(text, languages=[lang], settings={
            "RELATIVE_BASE": local_now, "PREFER_DATES_FROM": "future", "TIMEZONE": zone,
            "RETURN_AS_TIMEZONE_AWARE": False,
        })
        if result is None:
            return shown(None, zone)
        return shown(check_window(result.replace(tzinfo=zone_info(zone)), NOW), zone)

    return parse


def combined(dateparser_parse):
    def parse(text: str, lang: str) -> str:
        first = hand(text, lang)
        return dateparser_parse(text, lang) if first == ParseError.UNPARSEABLE.value else first

    return parse


def measure(name: str, parse, rows: list[tuple[str, str, str]]) -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    started = time.perf_counter()
    for lang, text, expected in rows:
        got = parse(text, lang)
        total[lang] += 1
        if got == expected:
            right[lang] += 1
        else:
            wrong.append(f"{lang} {text!r}: {got} (expected {expected})")
    first_pass = time.perf_counter() - started
    started = time.perf_counter()
    for lang, text, _expected in rows:
        parse(text, lang)
    warm = time.perf_counter() - started
    per_lang = ", ".join(f"{lang} {right[lang]}/{total[lang]}" for lang in ZONES)
    print(f"{name:<24} right {sum(right.values())}/{len(rows)} ({per_lang}); "
          f"{warm / len(rows) * 1000:.2f} ms per parse ({first_pass / len(rows) * 1000:.2f} ms in the first pass, "
          "which loads the data)")
    for line in wrong[:8]:
        print("    wrong:", line)
    if len(wrong) > 8:
        print(f"    ... and {len(wrong) - 8} more")


def import_cost(module: str) -> str:
    code = ("import resource, time; t = time.perf_counter(); import " + module +
            "; print(f'{time.perf_counter() - t:.3f}', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    seconds, rss = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return f"import {module}: {float(seconds) * 1000:.0f} ms, process peak RSS {rss} MB"


def main() -> None:
    rows = load()
    print(f"{len(rows)} typed times ({', '.join(f'{lang} {sum(r[0] == lang for r in rows)}' for lang in ZONES)})")
    measure("hand-written", hand, rows)
    try:
        dateparser_parse = with_dateparser()
    except ImportError:
        print("dateparser is not installed: pip install dateparser~=1.5.0 to compare")
        return
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    measure("dateparser", dateparser_parse, rows)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    print(f"    peak RSS grew {grown} MB while dateparser parsed the table (its language data)")
    measure("hand, then dateparser", combined(dateparser_parse), rows)
    print(import_cost("flows.timeparse"))
    print(import_cost("dateparser"))


if __name__ == "__main__":
    main()
