import pytest

from flows.checklist import (
    HOLDER_NOTE,
    IMEI_NOTE,
    ITEMS,
    NO_SMS_NOTE,
    OPTIONAL_RULES,
    SELLER_NOTE,
    checklist_notes,
    get_item,
    item_ids,
    optional_items,
    optional_reason,
    progress,
    relevance,
)

EXPECTED_IDS = (
    "banks", "gosuslugi", "telegram", "wechat", "other_apps",
    "backup", "subscriptions", "balance", "after",
)
# Every option of every eligibility question, so that "never optional" is checked broadly.
OPTIONS = {
    "sim_type": ("ordinary", "data_only", "number_keeping", "esim", "unsure"),
    "operator": ("mts", "megafon", "beeline", "t2", "yota", "other"),
    "owner": ("me", "someone_else", "seller", "unsure"),
    "location": ("russia", "abroad"),
    "sim_works": ("yes", "blocked_or_lost", "unsure"),
    "debt": ("no", "yes", "unsure"),
    "balance": ("yes", "no"),
    "gosuslugi": ("yes", "no", "unknown"),
    "foreign_confirmed": ("yes", "no_or_blocked", "unsure", "not_foreigner"),
}


def test_ids_in_order() -> None:
    assert item_ids() == EXPECTED_IDS


def test_titles_fit_a_button() -> None:
    # "✅ " + title must stay short enough to read on a phone-wide button.
    assert all(len(item.title) <= 26 for item in ITEMS)


def test_texts_are_distinct() -> None:
    texts = [text for item in ITEMS for text in (item.title, item.howto)]
    assert len(set(texts)) == len(texts)


def test_get_item() -> None:
    assert get_item("wechat").title == "WeChat"
    with pytest.raises(KeyError):
        get_item("sms")


@pytest.mark.parametrize(
    ("answers", "optional"),
    [
        pytest.param({}, set(), id="nothing-known"),
        pytest.param({"balance": "no", "debt": "no"}, {"balance"}, id="no-money-no-debt"),
        pytest.param({"balance": "no", "debt": "unsure"}, set(), id="debt-unsure"),
        pytest.param({"balance": "no", "debt": "yes"}, set(), id="debt"),
        pytest.param({"balance": "no"}, set(), id="debt-unknown"),
        pytest.param({"balance": "yes", "debt": "no"}, set(), id="money-left"),
        pytest.param({"debt": "no"}, set(), id="balance-unknown"),
        pytest.param({"sim_type": "esim"}, {"backup"}, id="esim"),
        pytest.param({"owner": "seller"}, {"balance"}, id="seller-balance-is-not-theirs"),
        pytest.param({"owner": "someone_else", "balance": "yes", "debt": "no"}, set(), id="holder-balance"),
        pytest.param({"sim_type": "data_only"}, set(), id="data-only-still-linked"),
        pytest.param({"sim_type": "number_keeping"}, set(), id="number-keeping"),
        pytest.param({"sim_type": "unsure"}, set(), id="sim-type-unsure"),
        pytest.param({"gosuslugi": "no"}, set(), id="no-gosuslugi-account-still-required"),
        pytest.param({"gosuslugi": "unknown"}, set(), id="gosuslugi-unknown"),
        pytest.param({"sim_works": "blocked_or_lost"}, set(), id="blocked-sim"),
        pytest.param(
            {"location": "abroad", "owner": "someone_else"},
            set(),
            id="abroad-other-owner",
        ),
        pytest.param(
            {"sim_type": "esim", "balance": "no", "debt": "no", "gosuslugi": "no"},
            {"backup", "balance"},
            id="esim-no-money",
        ),
    ],
)
def test_optional_items(answers: dict[str, str], optional: set[str]) -> None:
    assert optional_items(answers) == optional
    for item_id in EXPECTED_IDS:
        assert relevance(item_id, answers) is (item_id not in optional)


@pytest.mark.parametrize(
    "item_id", ["banks", "gosuslugi", "telegram", "wechat", "other_apps", "subscriptions", "after"]
)
@pytest.mark.parametrize(("key", "options"), list(OPTIONS.items()), ids=list(OPTIONS))
def test_items_without_a_rule_are_never_optional(
    item_id: str, key: str, options: tuple[str, ...]
) -> None:
    for option in options:
        assert relevance(item_id, {key: option}) is True


def test_every_rule_targets_a_known_item_and_a_known_option() -> None:
    for rule in OPTIONAL_RULES:
        assert rule.item_id in EXPECTED_IDS
        for key, options in rule.when.items():
            assert options <= set(OPTIONS[key])


def test_optional_reason() -> None:
    assert optional_reason("backup", {"sim_type": "esim"}) is not None
    assert optional_reason("backup", {"sim_type": "ordinary"}) is None
    with pytest.raises(KeyError):
        optional_reason("sms", {})


def test_relevance_rejects_unknown_item() -> None:
    with pytest.raises(KeyError):
        relevance("sms", {})


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        pytest.param(set(), (0, 9), id="none"),
        pytest.param({"banks"}, (1, 9), id="one"),
        pytest.param({"banks", "after", "wechat"}, (3, 9), id="three"),
        pytest.param(set(EXPECTED_IDS), (9, 9), id="all"),
        pytest.param({"banks", "old_item"}, (1, 9), id="unknown-ignored"),
    ],
)
def test_progress(done: set[str], expected: tuple[int, int]) -> None:
    assert progress(done) == expected


@pytest.mark.parametrize(
    ("answers", "notes"),
    [
        pytest.param({}, [], id="unknown"),
        pytest.param({"sim_works": "yes"}, [], id="works"),
        pytest.param({"sim_works": "blocked_or_lost"}, [NO_SMS_NOTE], id="blocked"),
        pytest.param(
            {"foreign_confirmed": "no_or_blocked", "sim_works": "blocked_or_lost"},
            [NO_SMS_NOTE],
            id="unconfirmed-foreigner",
        ),
        pytest.param({"foreign_confirmed": "no_or_blocked"}, [NO_SMS_NOTE], id="cut-off-sim-unknown"),
        # Unconfirmed but still working: it gets codes, and must stay in its phone.
        pytest.param({"foreign_confirmed": "no_or_blocked", "sim_works": "yes"}, [IMEI_NOTE],
                     id="unconfirmed-but-working"),
        pytest.param({"foreign_confirmed": "yes", "sim_works": "yes"}, [IMEI_NOTE], id="foreigner"),
        pytest.param({"foreign_confirmed": "yes", "sim_type": "esim"}, [], id="foreigner-esim"),
        pytest.param({"foreign_confirmed": "not_foreigner"}, [], id="citizen"),
        pytest.param({"owner": "someone_else", "foreign_confirmed": "not_foreigner"}, [HOLDER_NOTE],
                     id="someone-elses-number"),
        pytest.param({"owner": "seller"}, [SELLER_NOTE], id="seller"),
    ],
)
def test_checklist_notes(answers: dict[str, str], notes: list[str]) -> None:
    assert checklist_notes(answers) == notes


def test_item_texts_hedge_what_is_not_confirmed() -> None:
    telegram = get_item("telegram").howto
    assert "reset your account" in telegram  # the cloud password only partly protects
    balance = get_item("balance").howto
    assert "T2 never pays cash" in balance and "other operators: ask" in balance
    assert "monthly tariff fee and bonuses" in balance and "subscription fees" not in balance
    assert "+86" in get_item("banks").howto and "+86" in get_item("gosuslugi").howto
