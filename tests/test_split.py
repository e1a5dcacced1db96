import random

import pytest

from bot.local_api import parse_html
from flows.split import split_message, utf16_length


def fits(chunks: list[str], limit: int) -> bool:
    return all(utf16_length(chunk) <= limit for chunk in chunks)


@pytest.mark.parametrize(
    ("paragraphs", "limit", "expected"),
    [
        (["one", "two"], 100, ["one\n\ntwo"]),
        ([], 100, []),
        (["", "  ", "x"], 100, ["x"]),
        # "aaaa\n\nbbbb" is 10 units: at 10 they share a message, at 9 they do not.
        (["aaaa", "bbbb"], 20, ["aaaa\n\nbbbb"]),
        (["aaaa" * 4, "bbbb" * 4], 20, ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]),
        (["a" * 10, "b" * 5, "c" * 5], 17, ["a" * 10 + "\n\n" + "b" * 5, "c" * 5]),
        # A paragraph too long alone is split at its line breaks, not mid-line.
        (["line one\nline two\nline three"], 20, ["line one\nline two", "line three"]),
        # Emoji count twice in UTF-16, as Telegram counts them.
        (["😀" * 8, "😀" * 8], 32, ["😀" * 8, "😀" * 8]),
    ],
    ids=["short", "empty", "blank-dropped", "exact", "one-each", "greedy", "lines", "utf16"],
)
def test_split(paragraphs: list[str], limit: int, expected: list[str]) -> None:
    assert split_message(paragraphs, limit) == expected


def test_long_line_is_cut_at_spaces_with_its_tags_closed_and_reopened() -> None:
    line = "<b>" + " ".join(f"word{n}" for n in range(40)) + "</b> tail &amp; more"
    chunks = split_message([line], 60)
    assert len(chunks) > 1 and fits(chunks, 60)
    plain = [parse_html(chunk) for chunk in chunks]  # each chunk is valid Telegram HTML
    assert all(chunk.startswith("<b>") for chunk in chunks[:-1])
    assert " ".join(plain).split() == parse_html(line).split()


def test_a_word_longer_than_the_limit_is_cut_anyway() -> None:
    chunks = split_message(["<i>" + "x" * 100 + "</i>"], 30)
    assert fits(chunks, 30)
    assert "".join(parse_html(chunk) for chunk in chunks) == "x" * 100


def test_too_small_a_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_message(["x"], 3)


@pytest.mark.parametrize("seed", range(20))
def test_random_content_always_fits_and_stays_valid(seed: int) -> None:
    rng = random.Random(seed)
    words = ["слово", "词语", "<b>bold</b>", "&lt;", "word", "😀", "<a href=\"https://x.ru/\">link</a>",
             "<i>a <b>b</b> c</i>", "x" * rng.randint(1, 90), "<b>" + "y" * rng.randint(1, 90) + "</b>"]
    paragraphs = [
        "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
                  for _ in range(rng.randint(1, 6)))
        for _ in range(rng.randint(1, 30))
    ]
    limit = rng.choice([40, 200, 4096])
    chunks = split_message(paragraphs, limit)
    assert fits(chunks, limit)
    assert all(parse_html(chunk).strip() for chunk in chunks)  # valid, and never empty
    # Nothing lost or reordered (a word cut by characters may gain a space).
    assert "".join("".join(parse_html(c) for c in chunks).split()) == \
        "".join("".join(parse_html(p) for p in paragraphs).split())
