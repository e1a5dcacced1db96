"""The operator registry: strictly validated facts, and everything about operators derived from it."""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.facts import Confidence
from flows.menu import MAIN_MENU
from flows.operators import OperatorDataError, contact, load_operators
from flows.qa import build_reader, normalize
from tests.conftest import Harness, clean_answers, make_settings
from tests.test_eligibility_flow import answer

CHECK = next(e.label for e in MAIN_MENU if e.id == "check")
CONTACTS = next(e.label for e in MAIN_MENU if e.id == "contacts")

REAL = Path(__file__).parents[1] / "flows" / "data" / "operators.json"


def test_real_file_loads_with_every_operator() -> None:
    ops = load_operators()
    assert list(ops) == ["mts", "megafon", "beeline", "t2", "yota", "tmobile"]
    assert load_operators(REAL) is ops


def test_russian_brand_names() -> None:
    ops = load_operators()
    assert [ops[i].name("ru") for i in ops] == ["МТС", "МегаФон", "Билайн", "Т2 (Tele2)", "Yota", "Т-Мобайл"]
    assert ops["tmobile"].name("en") == "T-Mobile (Т-Мобайл)"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mts app里能直接销户吗", ["mts"]),
        ("как расторгнуть договор с мегафоном", ["megafon"]),
        ("beeline卡三个月没用了", ["beeline"]),
        ("У меня Билайн", ["beeline"]),
        ("tele2 or теле2, the same", ["t2"]),
        ("симка йоты", ["yota"]),
        ("расторгнуть договор Т-Мобайл", ["tmobile"]),
        ("тинькофф мобайл", ["tmobile"]),
        ("mts and then beeline", ["mts", "beeline"]),
        ("smts is not a name, nor is mtsx", []),
    ],
)
def test_aliases_find_operators_in_typed_text(text: str, found: list[str]) -> None:
    # Through the question reader, which learns the names from the registry alone.
    registry = load_operators()
    words = normalize(text, build_reader(registry.aliases_by_id())).split()
    assert list(dict.fromkeys(word for word in words if word in registry)) == found


@pytest.mark.parametrize(
    ("operator_id", "kind", "value"),
    [
        ("mts", "phone", "8 800 250-08-90"),
        ("beeline", "phone", "8 800 700-06-11"),
        ("t2", "website", "https://t2.ru/"),  # the T2 number is L in the domain brief
        ("yota", "website", "https://yota.ru/"),  # no confirmed number at all
        ("tmobile", "website", "https://www.tbank.ru/"),
    ],
    ids=["mts-H", "beeline-M", "t2-L", "yota-none", "tmobile-none"],
)
def test_contact_shown(operator_id: str, kind: str, value: str) -> None:
    shown = contact(load_operators()[operator_id])
    assert (shown.kind, shown.value) == (kind, value)


def test_an_l_confidence_phone_is_never_shown() -> None:
    mts = load_operators()["mts"]
    weak = mts.model_copy(update={"hotline": mts.hotline.model_copy(update={"confidence": Confidence.L})})
    shown = contact(weak)
    assert shown.kind == "website"
    assert "250" not in shown.value


def test_beeline_short_number_is_0611_not_the_circulating_0600() -> None:
    assert load_operators()["beeline"].short_number.value == "0611"


def test_confidences_follow_the_brief() -> None:
    ops = load_operators()
    assert ops["t2"].hotline.confidence is Confidence.L
    assert ops["t2"].cancellation.value == "store_only" and ops["t2"].cancellation.confidence is Confidence.H
    assert ops["megafon"].inactivity.confidence is Confidence.L
    assert ops["yota"].cancellation.confidence is Confidence.L
    assert ops["tmobile"].cancellation.value == "ask_first"
    # "No cash" is confirmed for T2 only.
    assert ops["t2"].refund.confidence is Confidence.H
    assert all(ops[i].refund is None or ops[i].refund.confidence is not Confidence.H for i in ops if i != "t2")


def test_lapse_periods_count_from_a_zero_balance() -> None:
    t2 = load_operators()["t2"].inactivity.value
    assert (t2.days_until_daily_fee.min, t2.fee_per_day_rub.max, t2.days_at_zero_until_end.min) == (120, 3, 180)
    megafon = load_operators()["megafon"].inactivity.value
    assert (megafon.days_until_daily_fee.min, megafon.days_until_daily_fee.max) == (45, 90)


def test_every_cited_source_has_names_in_every_language() -> None:
    registry = load_operators()
    cited = {s for op in registry.values() for fact in op.facts() for s in fact.sources}
    assert cited == set(registry.sources), "a source is cited but missing, or defined and never cited"
    for source in registry.sources.values():
        assert source.publisher.zh and source.publisher.ru and source.publisher.en


# --- malformed files -----------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    *parents, last = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node = data["operators"][1]  # megafon
        for key in parents:
            node = node[key]
        node[last] = value

    return mutate


def _drop(key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data["operators"][1][key]

    return mutate


MALFORMED = [
    ("missing-hotline", _drop("hotline"), "hotline"),
    ("missing-names", _drop("names"), "names"),
    ("missing-ru-name", lambda d: d["operators"][1]["names"].pop("ru"), "names.ru"),
    ("missing-aliases", _set("aliases", []), "aliases"),
    ("missing-checked", lambda d: d["operators"][1]["website"].pop("checked"), "website.checked"),
    ("extra-field", _set("fax", "123"), "fax"),
    ("bad-confidence", _set("hotline.confidence", "X"), "hotline.confidence"),
    ("lowercase-confidence", _set("website.confidence", "h"), "website.confidence"),
    ("min-above-max", _set("inactivity.value.days_until_daily_fee", {"min": 90, "max": 45}),
     "inactivity.value.days_until_daily_fee"),
    ("negative-fee", _set("inactivity.value.fee_per_day_rub", {"min": -1, "max": 5}),
     "inactivity.value.fee_per_day_rub.min"),
    ("website-not-url", _set("website.value", "megafon dot ru"), "website.value"),
    ("hotline-as-number", _set("hotline.value", 88005500500), "hotline.value"),
    ("days-as-string", _set("inactivity.value.days_until_daily_fee", {"min": "45", "max": 90}),
     "inactivity.value.days_until_daily_fee.min"),
    ("bad-date", _set("website.checked", "last week"), "website.checked"),
    ("no-sources", _set("website.sources", []), "website.sources"),
    ("unknown-cancellation", _set("cancellation.value", "by_email"), "cancellation.value"),
    ("id-with-spaces", _set("id", "mega fon"), "id"),
]


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "operators.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _real() -> dict[str, Any]:
    return copy.deepcopy(json.loads(REAL.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("mutate", "field"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_entry_names_operator_and_field(tmp_path: Path, mutate: Mutation, field: str) -> None:
    data = _real()
    mutate(data)
    with pytest.raises(OperatorDataError) as err:
        load_operators(_write(tmp_path, data))
    message = str(err.value)
    assert f"field '{field}'" in message
    assert f"operator {data['operators'][1]['id']!r}" in message


def test_unknown_source_fails(tmp_path: Path) -> None:
    data = _real()
    data["operators"][1]["hotline"]["sources"] = ["nowhere"]
    with pytest.raises(OperatorDataError, match="'megafon'.*unknown source 'nowhere'"):
        load_operators(_write(tmp_path, data))


def test_bad_alias_fails(tmp_path: Path) -> None:
    data = _real()
    data["operators"][1]["aliases"] = ["mega(fon"]
    with pytest.raises(OperatorDataError, match="'megafon'.*alias"):
        load_operators(_write(tmp_path, data))


def test_duplicate_ids_fail(tmp_path: Path) -> None:
    data = _real()
    data["operators"].append(data["operators"][0])
    with pytest.raises(OperatorDataError, match="'mts'.*'id'"):
        load_operators(_write(tmp_path, data))


def test_not_json_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "operators.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(OperatorDataError, match="not valid JSON"):
        load_operators(path)


def test_a_valid_copy_loads(tmp_path: Path) -> None:
    # Guards the malformed tests: they must fail because of the mutation, not the copy.
    assert list(load_operators(_write(tmp_path, _real()))) == list(load_operators())


# --- a new operator is a data change ---------------------------------------------------

MOTIV = {
    "id": "motiv",
    "names": {"en": "Motiv", "ru": "Мотив", "zh": "Motiv（Мотив）"},
    "aliases": ["motiv", "мотив[а-я]*"],
    "hotline": {"value": "8 800 111-22-33", "confidence": "M", "sources": ["motiv_site"], "checked": "2026-11-29"},
    "short_number": None,
    "website": {"value": "https://motiv.example", "confidence": "H", "sources": ["motiv_site"], "checked": "2026-11-29"},
    "app": None,
    "store_finder": None,
    "cancellation": {"value": "store", "confidence": "M", "sources": ["motiv_site"], "checked": "2026-11-29"},
    "poa_money_right": None,
    "refund": None,
    "inactivity": {
        "value": {
            "days_until_daily_fee": {"min": 60, "max": 60},
            "fee_per_day_rub": {"min": None, "max": None},
            "days_at_zero_until_end": {"min": None, "max": None},
            "days_unused_until_end": {"min": None, "max": None},
        },
        "confidence": "L", "sources": ["motiv_site"], "checked": "2026-11-29",
    },
}


def _texts(shown: list[Any]) -> str:
    return "\n".join(item.text for item in shown)


async def test_an_operator_added_to_the_registry_appears_everywhere(tmp_path: Path, gettext) -> None:
    data = _real()
    data["operators"].append(MOTIV)
    data["sources"]["motiv_site"] = {
        "publisher": {"en": "Motiv", "ru": "Мотив", "zh": "Motiv"}, "kind": "official", "url": None}
    harness = Harness(make_settings(tmp_path, operators_file=_write(tmp_path, data)))
    await harness.start()
    try:
        chat = harness.user(7, "ru")
        await chat.send("/start")
        await chat.press(gettext(CHECK, "ru"))
        # The check offers it between the known operators and "another operator".
        profile = clean_answers(operator="motiv")
        shown: list[Any] = []
        for question_id, option in profile.items():
            if question_id == "operator":
                labels = [b["text"] for b in chat.keyboard()[1]]
                assert labels.index("Мотив") == labels.index("Т-Мобайл") + 1
            shown = await answer(chat, option)
        assert "у оператора Мотив" in _texts(shown)
        # The verdict's steps speak of it, with the cancellation rule worded at its confidence (M).
        steps = _texts(await chat.press(gettext("📄 Steps of the best way", "ru")))
        assert "У оператора Мотив договор расторгают в фирменном салоне" in steps
        assert "уточните у оператора Мотив" in steps
        # Its card: the hotline hedged (M), inactivity unconfirmed (L), the source dated in Russian.
        card = _texts(await chat.press("☎️ Мотив: контакты"))
        assert "8 800 111-22-33" in card and "обычно верно" in card
        assert "После 60 дней" in card and "Подтвердить это мы не смогли" in card
        assert "Мотив, официальная страница. Проверено 29 ноября 2026" in card
        # /contacts lists it.
        await chat.send("/menu")
        await chat.press(gettext(CONTACTS, "ru"))
        assert "Мотив" in [b["text"] for b in chat.keyboard()[1]]
        # Typed questions find it by its aliases and answer with its own facts.
        reply = _texts(await chat.send("какой номер горячей линии у мотива?"))
        assert "8 800 111-22-33" in reply and "Мотив" in reply
        reply = _texts(await chat.send("motiv симка не пользуюсь полгода, будут списывать деньги?"))
        assert "После 60 дней" in reply
    finally:
        await harness.stop()
