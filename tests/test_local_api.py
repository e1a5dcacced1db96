"""The local Bot API must reject what Telegram rejects, or the tests would pass wrongly."""

import pytest

from bot.local_api import BotAPIError, LocalBotAPI, parse_html


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("plain", "plain"),
        ("<b>bold</b> and <i>it</i>", "bold and it"),
        ('<a href="https://t2.ru">t2.ru</a>', "t2.ru"),
        ("a &lt; b &amp;&amp; c &gt; d &quot;q&quot;", 'a < b && c > d "q"'),
        ("&#8381; &#x20BD;", "₽ ₽"),
        ("<b>nested <i>tags</i></b>", "nested tags"),
        ("<blockquote>quote</blockquote><code>x</code><pre>y</pre>", "quotexy"),
        ("<tg-spoiler>s</tg-spoiler> <u>u</u> <s>s</s>", "s u s"),
    ],
)
def test_valid_html(source: str, plain: str) -> None:
    assert parse_html(source) == plain


@pytest.mark.parametrize(
    "source",
    ["a < b", "a > b", "<b>unclosed", "<b><i>crossed</b></i>", "</b>", "<div>x</div>",
     "<br>", "fish & chips", "&nbsp;", "<script>x</script>"],
)
def test_invalid_html_is_rejected(source: str) -> None:
    with pytest.raises(BotAPIError) as error:
        parse_html(source)
    assert error.value.status == 400
    assert "can't parse entities" in error.value.description


def send(api: LocalBotAPI, **params: str) -> tuple[int, dict]:
    return api.respond("sendMessage", {"chat_id": "5", **params})


def test_length_limit_counts_after_parsing_and_in_utf16() -> None:
    api = LocalBotAPI()
    assert send(api, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")[0] == 200
    assert send(api, text="x" * 4097)[0] == 400
    # An emoji outside the BMP is two UTF-16 units.
    assert send(api, text="😀" * 2048)[0] == 200
    assert send(api, text="😀" * 2049)[0] == 400


def test_empty_text_is_rejected() -> None:
    assert send(LocalBotAPI(), text="<b> </b>", parse_mode="HTML")[0] == 400


@pytest.mark.parametrize(("data", "status"), [("x" * 64, 200), ("x" * 65, 400), ("я" * 33, 400), ("я" * 32, 200)])
def test_callback_data_limit_is_in_bytes(data: str, status: int) -> None:
    markup = '{"inline_keyboard": [[{"text": "b", "callback_data": "%s"}]]}' % data
    assert send(LocalBotAPI(), text="hi", reply_markup=markup)[0] == status


def test_callback_answers_once_and_short() -> None:
    api = LocalBotAPI()
    user = {"id": 5, "is_bot": False, "first_name": "U"}
    send(api, text="menu", reply_markup='{"inline_keyboard": [[{"text": "b", "callback_data": "d"}]]}')
    query_id = api.button_press(user, 1, "d")["callback_query"]["id"]
    assert api.respond("answerCallbackQuery", {"callback_query_id": query_id, "text": "x" * 201})[0] == 400
    assert api.respond("answerCallbackQuery", {"callback_query_id": query_id})[0] == 200
    assert api.respond("answerCallbackQuery", {"callback_query_id": query_id})[0] == 400
    assert not api.unanswered_callbacks


def test_editing_to_the_same_content_is_an_error() -> None:
    api = LocalBotAPI()
    send(api, text="hello")
    assert api.respond("editMessageText", {"chat_id": "5", "message_id": "1", "text": "hello"})[0] == 400
    assert api.respond("editMessageText", {"chat_id": "5", "message_id": "1", "text": "bye"})[0] == 200
    assert api.respond("editMessageText", {"chat_id": "5", "message_id": "9", "text": "bye"})[0] == 400


def test_unknown_method_is_not_found() -> None:
    status, body = LocalBotAPI().respond("sendTelepathy", {})
    assert status == 404 and body["ok"] is False


def test_copy_message_copies_text_or_media_with_caption_and_answers_the_new_id() -> None:
    api = LocalBotAPI()
    user = {"id": 5, "is_bot": False, "first_name": "A"}
    text = api.user_message(user, "<b>not markup</b>", entities=[{"type": "bold", "offset": 0, "length": 3}])
    photo = api.user_message(user, photo=[{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}],
                             caption="cap")
    for update, media, shown_text in ((text, None, "<b>not markup</b>"), (photo, "photo", "cap")):
        status, body = api.respond("copyMessage", {"chat_id": "7", "from_chat_id": "5",
                                                   "message_id": str(update["message"]["message_id"])})
        assert status == 200 and set(body["result"]) == {"message_id"}
        assert (api.shown[-1].chat_id, api.shown[-1].media, api.shown[-1].text) == (7, media, shown_text)
    assert api.messages[(7, 1)]["entities"] == text["message"]["entities"]
    status, body = api.respond("copyMessage", {"chat_id": "7", "from_chat_id": "5", "message_id": "99"})
    assert (status, body["description"]) == (400, "Bad Request: message to copy not found")


def test_injected_failures_hit_one_chat_for_as_many_calls_as_asked() -> None:
    api = LocalBotAPI()
    api.fail(5, 429, "Too Many Requests: retry after 3", retry_after=3, times=2)
    assert send(api, text="x")[1]["parameters"] == {"retry_after": 3}
    assert api.respond("sendMessage", {"chat_id": "6", "text": "x"})[0] == 200  # another chat
    assert send(api, text="x")[0] == 429
    assert send(api, text="x")[0] == 200
    api.fail(8, 403, "Forbidden: bot was blocked by the user")
    for _ in range(3):
        assert api.respond("sendMessage", {"chat_id": "8", "text": "x"})[0] == 403
    assert api.respond("setMyCommands", {"commands": "[]", "scope": '{"type": "chat", "chat_id": 8}'})[0] == 403
