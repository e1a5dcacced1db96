"""Masking what could identify a person in a text the bot keeps (an unanswered question).

Pure and deliberately greedy: a masked year or an over-masked word costs a little of the
question's meaning; a phone number or a name kept costs a person's privacy.
"""

from __future__ import annotations

import re

NUMBER_MASK = "###"
EMAIL_MASK = "…@…"
HANDLE_MASK = "@…"
LINK_MASK = "[link]"
NAME_MASK = "[name]"

# Anything people put between the digits of a phone, passport or card number: spaces,
# brackets, dots, commas, slashes, underscores, middle dots, dashes of every width, plus
# signs, their full-width forms; "*" stands for digits hidden on a card.
_SEPARATOR = r"[\s()\[\].,/\\_·•・‐-―−\-+*~:'\"，。、．／＿－（）＋]"
_DIGIT = r"[\d*＊]"
# Five digits or more in one run (a year or a price has four or fewer), with a trailing
# X of a Chinese id card. \d also matches full-width and other scripts' digits.
_NUMBER_RE = re.compile(rf"\+?\d(?:{_SEPARATOR}*{_DIGIT}){{4,}}(?:{_SEPARATOR}*[xX](?![A-Za-z]))?")
# Numbers written out in Chinese characters, e.g. 幺三八一二三四五六七八: five or more in a row.
_CHINESE_NUMBER_RE = re.compile(rf"[零〇一二三四五六七八九幺两](?:{_SEPARATOR}*[零〇一二三四五六七八九幺两]){{4,}}")
_EMAIL_RE = re.compile(r"[\w.+-]+(?:@|＠|\s*\(at\)\s*|\s*\[at\]\s*)[\w-]+(?:\.[\w-]+)+")
_LINK_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    # A bare domain, possibly with a path: t.me/name, vk.com/id1, example.ru
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,24}|рф)(?:/\S*)?(?![\w.])",
    re.IGNORECASE,
)
# A Telegram, Instagram, WeChat… handle.
_HANDLE_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")
# A Russian patronymic, and the capitalised words beside it (surname, first name).
_PATRONYMIC_RE = re.compile(
    r"(?:\b[А-ЯЁ][а-яё]+\s+){0,2}\b[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|евна|ична|инична)\b(?:\s+[А-ЯЁ][а-яё]+)?"
)
_WORD = r"[^\W\d_][\w'’-]*"
_CAPITALISED = r"[A-ZА-ЯЁ][\w'’-]*"
# "My name is …": the next word whatever its case, and the capitalised words after it.
_INTRODUCTION_RE = re.compile(
    r"(?P<intro>\b(?:my\s+name\s+is|my\s+name's|name\s*:|call\s+me|regards,?|"
    r"меня\s+зовут|моё\s+имя|мое\s+имя|имя\s*:|фамилия\s*:|фио\s*:|с\s+уважением,?)\s*)"
    rf"(?P<name>{_WORD}(?:\s+{_CAPITALISED}){{0,2}})",
    re.IGNORECASE,
)
# "I am John", "I'm Ivan Petrov", "я Иван", "это Иван": only a capitalised word, so that
# "I am abroad" keeps its meaning.
_SELF_RE = re.compile(
    r"(?P<intro>\b(?:I\s+am|I'm|I’m|[Tt]his\s+is|[Яя]|[Ээ]то)\s+)"
    rf"(?P<name>[A-ZА-ЯЁ][a-zа-яё'’-]+(?:\s+{_CAPITALISED}){{0,2}})"
)
# 我叫王伟, 我的名字是王伟, 名字：王伟, 本人王伟: the Chinese name that follows, two to four characters.
_CHINESE_NAME_RE = re.compile(r"(?P<intro>(?:我叫|我的名字(?:是|叫)?|名字(?:是|叫|[:：])|姓名[:：]?|本人|我姓)\s*)"
                              r"(?P<name>[\u4e00-\u9fff·]{1,4})")


def _keep_intro(match: re.Match[str]) -> str:
    return match.group("intro") + NAME_MASK


def mask_personal(text: str) -> str:
    """``text`` with phone, passport and card numbers, e-mail addresses, links, @handles and
    names replaced by placeholders."""
    text = _EMAIL_RE.sub(EMAIL_MASK, text)
    text = _LINK_RE.sub(LINK_MASK, text)
    text = _HANDLE_RE.sub(HANDLE_MASK, text)
    text = _INTRODUCTION_RE.sub(_keep_intro, text)
    text = _SELF_RE.sub(_keep_intro, text)
    text = _CHINESE_NAME_RE.sub(_keep_intro, text)
    text = _PATRONYMIC_RE.sub(NAME_MASK, text)
    text = _NUMBER_RE.sub(NUMBER_MASK, text)
    return _CHINESE_NUMBER_RE.sub(NUMBER_MASK, text)
