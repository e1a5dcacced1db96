"""Match a free-text question (zh / ru / en, mixed) to a knowledge-base entry.

How it works: the text is normalised (NFKC, casefold, ё→е, punctuation stripped,
operator names in Latin or Cyrillic mapped to one token), cut into features (character
trigrams and a short prefix stem per Latin/Cyrillic word, character bigrams and unigrams
for Chinese, one feature per operator) and scored by TF-IDF cosine similarity against
each entry's example questions and keywords from ``flows/data/knowledge_match.json``.
Off-topic questions must fall back rather than get a wrong answer, so two guards work
together: stop words ("how", "как", "怎么") are dropped, so that an off-topic question
keeps only words the knowledge base does not know (which lowers its score), and an
out-of-scope pseudo-entry built from ``flows/data/qa_off_topic.json`` (weather, time,
prices, tickets...) competes with the real entries: when it wins, the match is not
confident, which catches questions like "what time is it" that share one word with an
entry.

Why this design and why rapidfuzz: character n-grams need no word segmentation (Chinese
is written without spaces) and no stemmer (Russian inflections share most trigrams), and
a sparse cosine over ~2k short examples takes well under a millisecond in plain Python.
For typos the n-grams alone are not enough on short words, so query words that are not in
the vocabulary are first corrected to their nearest known word with ``rapidfuzz``
(``process.extractOne`` with Damerau-Levenshtein distance, so a swapped pair of
letters counts as one edit). rapidfuzz is MIT-licensed, written
in C++ with wheels for every platform, has no dependencies and is actively released;
BM25 packages such as rank_bm25 are unmaintained and would still need our tokenizer, and
embedding models would be far slower and heavier than the 5 ms budget allows.
"""

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from flows.knowledge import ENTRIES, Entry

LANGUAGES: tuple[str, ...] = ("zh", "ru", "en")
# Calibrated on tests/data/qa_eval.json: off-topic questions there score at most ~0.22.
DEFAULT_THRESHOLD = 0.25
FALLBACK_SIZE = 3
_MAX_CHARS = 500  # a pasted wall of text is cut so matching stays within budget
_OFF_TOPIC_ID = "__off_topic__"

# Cyrillic patterns take inflected forms ("в Мегафоне", "у Йоты"); matched only as whole words.
_OPERATOR_ALIASES: tuple[tuple[str, str], ...] = (
    ("mts", r"mts|мтс"),
    ("megafon", r"megafon|mega fon|м[еи]га ?фон[а-я]*|мегафоша"),
    ("beeline", r"beeline|bee line|b[ie]l+ain|б[иеы]л+айн[а-я]*|би лайн[а-я]*"),
    ("t2", r"tele ?2|tele two|теле ?2|теле два|t2|т2"),
    ("yota", r"yota|йот[аеуыо]й?"),
)
_OPERATOR_RE = [
    (token, re.compile(rf"(?<![a-zа-я0-9])(?:{pattern})(?![a-zа-я0-9])"))
    for token, pattern in _OPERATOR_ALIASES
]
_OPERATOR_TOKENS = frozenset(token for token, _ in _OPERATOR_ALIASES)
_NON_WORD_RE = re.compile(r"[^\w]+|_")
_SEGMENT_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-zа-я0-9]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Function words carry no topic, nor does "Russia" (every question implies it); dropping
# them leaves an off-topic question with nothing to hit.
_STOP_WORDS: frozenset[str] = frozenset(
    """
    a an the i me my mine you your we our us it its is are am was were be been being do does
    did done doing to of in on at for from by with about as and or but if so than then that
    this these those there here what whats which who whom whose how when where why can could
    should would will shall may might must need want get got have has had just also still
    please pls plz hi hello hey thanks thank any some no not dont doesnt cant wont im ive
    u ur r ok okay one ones something anything tell know happen happens happened again
    difference between same really
    для при через без под над после перед и в во на с со к ко по за из от до у о об а но или
    ли же бы не ни то это этот эта эти что чтобы как какой какая какие каким когда где куда зачем почему кто чем ли мне меня
    мой моя мое мои моего моей моим я ты вы вас вам ваш ваша он она они его ее их мы нас нам
    есть был была было были быть будет буду можно нужно надо могу может можете хочу хотел
    хотела уже еще все так там тут вот если ну да нет пожалуйста привет здравствуйте
    спасибо подскажите скажите делать сделать делаю сделал сделала
    russia russian россия россии россию российский российская российского российскую рф
    """.split()
)
# Chinese function words, longest first so that "怎么样" is removed before "怎么".
_ZH_STOP: tuple[str, ...] = tuple(
    sorted(
        """
        俄罗斯 俄国 怎么样 怎么办 是不是 能不能 可不可以 有没有 请问 怎么 怎样 如何 什么 为什么 可以 能否
        需要 我的 我们 你们 一下 这个 那个 还是 或者 已经 就是 的话 吗 呢 吧 啊 呀 了 的 得 地
        我 你 他 她 是 在 有 和 与 就 都 也 要 想 会 能 么 嘛 哦 哈
        """.split(),
        key=len,
        reverse=True,
    )
)
_ZH_STOP_RE = re.compile("|".join(map(re.escape, _ZH_STOP)))

_STEM_LEN = 5
_TYPO_MIN_LEN = 5
_TYPO_LONG_WORD = 8  # from this length on, two edits count as a typo, below it one
_OPERATOR_WEIGHT = 2.0  # an operator name is context, rarely the whole question
_STEM_WEIGHT = 1.5
_ZH_UNIGRAM_WEIGHT = 0.4
_KEYWORD_WEIGHT = 2.0
_EXAMPLE_SHARE = 0.6  # blend: best single example vs the entry's whole material


@dataclass(frozen=True, slots=True)
class Scored:
    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """``best`` is None only when the text has nothing to match (empty, emoji only)."""

    best: Scored | None
    confident: bool
    closest: tuple[Scored, ...]

    @property
    def entry_id(self) -> str | None:
        """The entry to answer with, or None when the handler should fall back."""
        return self.best.entry_id if self.confident and self.best else None


@dataclass(frozen=True, slots=True)
class LanguageMaterial:
    examples: tuple[str, ...]
    keywords: tuple[str, ...]


Vector = dict[str, float]


Postings = dict[str, list[tuple[int, float]]]


@dataclass(frozen=True, slots=True)
class QAIndex:
    """Built once by ``build_index``; read-only afterwards, safe to share between tasks."""

    entry_ids: tuple[str, ...]  # the real entries, then the off-topic pseudo-entry
    threshold: float
    idf: dict[str, float]
    unknown_idf: float
    known_words: frozenset[str]
    vocabulary: tuple[str, ...]  # known words long enough for typo correction
    example_entry: tuple[int, ...]  # example index -> entry position
    example_postings: Postings
    entry_postings: Postings


def normalize(text: str) -> str:
    """NFKC, casefold, ё→е, punctuation to spaces, operator names to one Latin token."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _NON_WORD_RE.sub(" ", text)
    for token, pattern in _OPERATOR_RE:
        text = pattern.sub(f" {token} ", text)
    return " ".join(text.split())


def _read_json(name: str) -> dict:
    return json.loads(resources.files("flows").joinpath("data", name).read_text("utf-8"))


def _languages(by_lang: Mapping[str, Mapping[str, list[str]]]) -> dict[str, LanguageMaterial]:
    return {
        lang: LanguageMaterial(tuple(m.get("examples", ())), tuple(m.get("keywords", ())))
        for lang, m in by_lang.items()
    }


@cache
def load_match_material() -> dict[str, dict[str, LanguageMaterial]]:
    """Per entry id, per language: example questions and keywords."""
    return {
        entry_id: _languages(by_lang)
        for entry_id, by_lang in _read_json("knowledge_match.json").items()
    }


@cache
def load_off_topic_material() -> dict[str, LanguageMaterial]:
    """Per language: questions the bot must not answer (small talk, travel, prices)."""
    return _languages(_read_json("qa_off_topic.json"))


def _words(norm: str) -> Iterable[tuple[bool, str]]:
    """Yield (is_chinese, segment) for each run of Chinese or Latin/Cyrillic/digits."""
    for segment in _SEGMENT_RE.findall(norm):
        yield bool(_CJK_RE.match(segment)), segment


def _word_features(word: str, features: Counter[str]) -> None:
    if word in _OPERATOR_TOKENS:
        features["op:" + word] += _OPERATOR_WEIGHT
        return
    features["w:" + word[:_STEM_LEN]] += _STEM_WEIGHT
    padded = f"#{word}#"
    for i in range(len(padded) - 2):
        features["g:" + padded[i : i + 3]] += 1.0


def _chinese_features(run: str, features: Counter[str]) -> None:
    for part in _ZH_STOP_RE.split(run):
        for i, char in enumerate(part):
            features["c:" + char] += _ZH_UNIGRAM_WEIGHT
            if i + 1 < len(part):
                features["c:" + part[i : i + 2]] += 1.0


def _features(norm: str, correct: Callable[[str], str] | None = None) -> Counter[str]:
    features: Counter[str] = Counter()
    for is_chinese, segment in _words(norm):
        if is_chinese:
            _chinese_features(segment, features)
        elif segment not in _STOP_WORDS:
            _word_features(correct(segment) if correct else segment, features)
    return features


def _corrector(index: QAIndex) -> Callable[[str], str]:
    """Map an unknown Latin/Cyrillic word to the closest known one (typo tolerance)."""

    def correct(word: str) -> str:
        if word in index.known_words or len(word) < _TYPO_MIN_LEN or word.isdigit():
            return word
        max_edits = 2 if len(word) >= _TYPO_LONG_WORD else 1
        hit = process.extractOne(
            word, index.vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=max_edits
        )
        return hit[0] if hit else word

    return correct


def _weigh(features: Counter[str], idf: Mapping[str, float], unknown_idf: float) -> Vector:
    vector = {f: tf * idf.get(f, unknown_idf) for f, tf in features.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {f: w / norm for f, w in vector.items()} if norm else {}


def build_index(
    entries: Sequence[Entry] = ENTRIES,
    material: Mapping[str, Mapping[str, LanguageMaterial]] | None = None,
    off_topic: Mapping[str, LanguageMaterial] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> QAIndex:
    """Build the search index; the material defaults to the bundled JSON files."""
    material = dict(load_match_material() if material is None else material)
    material[_OFF_TOPIC_ID] = load_off_topic_material() if off_topic is None else off_topic
    entry_ids = (*(entry.id for entry in entries), _OFF_TOPIC_ID)
    examples: list[tuple[int, Counter[str]]] = []
    entry_docs: list[Counter[str]] = []
    known: set[str] = set()
    for position, entry_id in enumerate(entry_ids):
        doc: Counter[str] = Counter()
        for lang_material in material.get(entry_id, {}).values():
            for text in lang_material.examples:
                norm = normalize(text)
                known.update(seg for is_zh, seg in _words(norm) if not is_zh)
                features = _features(norm)
                examples.append((position, features))
                doc.update(features)
            for keyword in lang_material.keywords:
                norm = normalize(keyword)
                known.update(seg for is_zh, seg in _words(norm) if not is_zh)
                features = _features(norm)
                examples.append((position, features))
                doc.update({f: w * _KEYWORD_WEIGHT for f, w in features.items()})
        entry_docs.append(doc)

    document_frequency: Counter[str] = Counter()
    for doc in entry_docs:
        document_frequency.update(doc.keys())
    total = len(entry_ids)
    idf = {f: math.log((total + 1) / (df + 1)) + 1.0 for f, df in document_frequency.items()}
    unknown_idf = math.log(total + 1) + 1.0

    known -= _STOP_WORDS
    return QAIndex(
        entry_ids=entry_ids,
        threshold=threshold,
        idf=idf,
        unknown_idf=unknown_idf,
        known_words=frozenset(known),
        vocabulary=tuple(sorted(w for w in known if len(w) >= _TYPO_MIN_LEN)),
        example_entry=tuple(position for position, _ in examples),
        example_postings=_postings(
            (_weigh(features, idf, unknown_idf) for _, features in examples)
        ),
        entry_postings=_postings(_weigh(doc, idf, unknown_idf) for doc in entry_docs),
    )


def _postings(vectors: Iterable[Vector]) -> Postings:
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, vector in enumerate(vectors):
        for f, w in vector.items():
            postings[f].append((position, w))
    return dict(postings)


def _score_entries(index: QAIndex, query: Vector) -> list[float]:
    example_scores: defaultdict[int, float] = defaultdict(float)
    doc_scores = [0.0] * len(index.entry_ids)
    for f, qw in query.items():
        for example_idx, w in index.example_postings.get(f, ()):
            example_scores[example_idx] += qw * w
        for position, w in index.entry_postings.get(f, ()):
            doc_scores[position] += qw * w
    best_example = [0.0] * len(index.entry_ids)
    for example_idx, score in example_scores.items():
        position = index.example_entry[example_idx]
        if score > best_example[position]:
            best_example[position] = score
    return [
        _EXAMPLE_SHARE * ex + (1 - _EXAMPLE_SHARE) * doc
        for ex, doc in zip(best_example, doc_scores)
    ]


def match(index: QAIndex, text: str) -> MatchResult:
    """Best entry for ``text``, whether it clears the threshold, and the closest topics."""
    features = _features(normalize(text[:_MAX_CHARS]), _corrector(index))
    query = _weigh(features, index.idf, index.unknown_idf)
    if not query:
        return MatchResult(best=None, confident=False, closest=())
    scores = _score_entries(index, query)
    off_topic_score = scores.pop()  # the pseudo-entry is always last
    ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    closest = tuple(
        Scored(index.entry_ids[i], round(scores[i], 4)) for i in ranked[:FALLBACK_SIZE]
    )
    best = closest[0]
    confident = best.score >= index.threshold and best.score > off_topic_score
    return MatchResult(best=best, confident=confident, closest=closest)
