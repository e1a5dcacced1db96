"""The typed-question model kept on disk: loaded as trained, never stale, never in the way."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from bot.model_files import ModelFiles
from flows.knowledge import ENTRIES
from flows.qa import (
    QAIndex,
    build_index,
    match,
    model_arrays,
    model_from_arrays,
    model_key,
    operator_aliases,
)

ENTRY_IDS = tuple(entry.id for entry in ENTRIES)
TEXTS = json.loads((Path(__file__).parent / "data" / "qa_eval.json").read_text("utf-8"))["questions"]


@pytest.fixture(scope="module")
def trained() -> QAIndex:
    return build_index()


def bundled_key() -> str:
    return model_key(ENTRY_IDS, tuple(sorted(operator_aliases().items())))


class RecordingStore:
    """ModelFiles, noting what is saved."""

    def __init__(self, files: ModelFiles) -> None:
        self.files = files
        self.saved: list[str] = []

    def load(self, key: str):
        return self.files.load(key)

    def save(self, key: str, arrays) -> None:
        self.saved.append(key)
        self.files.save(key, arrays)


def test_a_stored_model_answers_exactly_as_the_trained_one(trained: QAIndex, tmp_path: Path) -> None:
    files = ModelFiles(tmp_path / "cache")
    files.save("k", model_arrays(trained.model))
    loaded = model_from_arrays(ENTRY_IDS, files.load("k"))
    texts = [q["text"] for q in TEXTS]
    assert loaded.known == trained.model.known
    assert loaded.words is not None and loaded.words.vocabulary_ == trained.model.words.vocabulary_
    again = replace(trained, model=loaded)
    assert [match(again, text) for text in texts] == [match(trained, text) for text in texts]


def test_a_start_with_a_stored_model_does_not_train(trained: QAIndex, tmp_path: Path) -> None:
    files = ModelFiles(tmp_path / "cache")
    files.save(bundled_key(), model_arrays(trained.model))
    store = RecordingStore(files)
    index = build_index(store=store)
    assert store.saved == []  # a model is saved only after training
    for question in TEXTS[:50]:
        assert match(index, question["text"]) == match(trained, question["text"])


def test_a_start_without_one_trains_and_stores_it(tmp_path: Path) -> None:
    # Other operator aliases: a model of its own, trained here (seconds of CPU).
    aliases = {**operator_aliases(), "mts": r"mts|мтс[а-я]*|эмтээс"}
    store = RecordingStore(ModelFiles(tmp_path / "cache"))
    index = build_index(aliases=aliases, store=store)
    key = model_key(ENTRY_IDS, tuple(sorted(aliases.items())))
    assert store.saved == [key] and key != bundled_key()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"qa-{key}.npz"]
    assert match(index, "эмтээс номер закрыть как").details.operator == "mts"


def test_a_damaged_file_is_ignored_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "qa-k.npz").write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING):
        assert ModelFiles(tmp_path).load("k") is None
    assert "cannot be read" in caplog.text
    assert ModelFiles(tmp_path / "missing").load("k") is None


def test_arrays_that_do_not_fit_together_are_refused(trained: QAIndex) -> None:
    arrays = model_arrays(trained.model)
    with pytest.raises(ValueError, match="do not fit"):
        model_from_arrays(ENTRY_IDS, {**arrays, "idf": arrays["idf"][:-1]})
    with pytest.raises(KeyError):
        model_from_arrays(ENTRY_IDS, {name: value for name, value in arrays.items() if name != "coef"})


def test_a_folder_that_cannot_be_written_is_logged_not_fatal(trained: QAIndex, tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING):
        ModelFiles(blocker / "cache").save("k", model_arrays(trained.model))
    assert "cannot be stored" in caplog.text


def test_only_the_newest_model_is_kept(trained: QAIndex, tmp_path: Path) -> None:
    files = ModelFiles(tmp_path)
    arrays = model_arrays(trained.model)
    files.save("old", arrays)
    files.save("new", arrays)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qa-new.npz"]
