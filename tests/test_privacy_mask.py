"""What is kept of an unanswered question holds nothing that identifies a person."""

from __future__ import annotations

import re

import pytest

from flows.questions import unanswered_record

# (typed, what must not survive, what must survive)
LEAKS = [
    ("weather 916/123/45/67", "123", "weather"),
    ("call 8_916_123_45_67 please", "916", "please"),
    ("+7·916·123·45·67", "916", ""),
    ("номер 8-916-123-45-67 как отключить", "916", "как отключить"),
    ("номер 8 (916) 123 45 67", "916", "номер"),
    ("my number 916.123.45.67", "916", "my number"),
    ("phone +7 916,123,45,67", "916", "phone"),
    ("телефон +7/916/1234567", "1234567", "телефон"),
    ("电话 138 1234 5678", "1234", "电话"),
    ("电话１３８１２３４５６７８", "１３８", "电话"),
    ("我的号码是一三八一二三四五六七八", "四五六", "我的号码是"),
    ("我的号码是幺三八，一二三四，五六七八", "五六七八", "我的号码是"),
    ("身份证 11010519491231002X 怎么办", "002", "怎么办"),
    ("card 4276 38** **** 5678 blocked", "5678", "blocked"),
    ("write @ivan_petrov on telegram", "ivan_petrov", "on telegram"),
    ("my wechat is @wang.wei88", "wang.wei88", "my wechat is"),
    ("see https://vk.com/id12345 for details", "vk.com", "for details"),
    ("my page t.me/ivanpetrov", "ivanpetrov", "my page"),
    ("site www.example.org/me", "example", "site"),
    ("mail ivan.petrov@mail.ru now", "petrov", "now"),
    ("mail ivan (at) mail.ru now", "ivan", "now"),
    ("my name is John Smith and I want to cancel", "John", "I want to cancel"),
    ("Hi, I'm Anna Lee, how to cancel MTS", "Anna", "how to cancel MTS"),
    ("call me john", "john", "call me"),
    ("меня зовут Иван Петров, как отключить сим", "Иван", "как отключить сим"),
    ("Меня зовут иван", "иван", "Меня зовут"),
    ("Я Иван, помогите", "Иван", "помогите"),
    ("Петров Иван Сергеевич хочет расторгнуть договор", "Сергеевич", "хочет расторгнуть договор"),
    ("с уважением, Мария", "Мария", "с уважением"),
    ("我叫王伟，想注销手机卡", "王伟", "想注销手机卡"),
    ("我的名字是李娜", "李娜", "我的名字是"),
    ("姓名：张三 怎么注销", "张三", "怎么注销"),
]


@pytest.mark.parametrize(("typed", "secret", "kept"), LEAKS, ids=[typed for typed, _, _ in LEAKS])
def test_personal_data_does_not_survive(typed: str, secret: str, kept: str) -> None:
    record = unanswered_record(typed)
    assert secret not in record, record
    assert kept in record, record


@pytest.mark.parametrize("typed", [
    "tariff 300 rubles in 2025",
    "I am abroad, can I cancel?",
    "how to cancel a 流量卡 from China",
    "можно ли отключить номер из Китая",
    "我是中国人，在俄罗斯买的卡",
    "what does 5G cost",
    "Beeline or MTS?",
])
def test_ordinary_questions_keep_their_meaning(typed: str) -> None:
    assert unanswered_record(typed) == typed


def test_a_phone_number_never_survives_in_any_separator() -> None:
    for separator in " , _ · - . / ‑ – — ． ／ ， ＿".split(" ") + ["  ", ""]:
        number = separator.join(["+7", "916", "123", "45", "67"])
        record = unanswered_record(f"номер {number} отключить")
        assert not re.search(r"\d{2}", record), (separator, record)
