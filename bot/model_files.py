"""The typed-question model kept on disk between runs.

Training it takes several seconds of CPU at every start; loading the arrays it is made of
takes milliseconds. One ``qa-<key>.npz`` per key (``flows.qa.model_key``: the material, the
code, the library versions), plain arrays only: nothing is unpickled. The files are a cache:
one that cannot be read or written is logged and the model is trained as before.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelFiles:
    """A folder of trained models; ``flows.qa.ModelStore``. Equal for the same folder, so
    that every dispatcher built on one folder shares the model loaded once."""

    folder: Path

    def _path(self, key: str) -> Path:
        return self.folder / f"qa-{key}.npz"

    def load(self, key: str) -> dict[str, np.ndarray] | None:
        try:
            with np.load(self._path(key), allow_pickle=False) as stored:
                return {name: stored[name] for name in stored.files}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            log.warning("the stored question model %s cannot be read (%s); training it again", key, error)
            return None

    def save(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: an instance starting meanwhile never reads half a file.
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".qa-", suffix=".npz")
            try:
                with os.fdopen(handle, "wb") as output:
                    np.savez(output, **arrays)
                os.replace(temporary, self._path(key))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            log.warning("the question model cannot be stored in %s (%s); the next start trains it again",
                        self.folder, error)
            return
        # Models of earlier versions are never read again.
        for old in self.folder.glob("qa-*.npz"):
            if old != self._path(key):
                old.unlink(missing_ok=True)
        log.info("question model stored in %s", self._path(key))
