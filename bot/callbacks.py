"""Callback data of every button, with short unique prefixes (64 bytes at most)."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    entry: str


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class QuestionTopicCb(CallbackData, prefix="qt"):
    """Show one knowledge-base answer (from the fallback's closest topics or a section)."""

    entry: str


class QuestionSectionCb(CallbackData, prefix="qs"):
    """List the topics of one knowledge-base section."""

    section: str


class QuestionVoteCb(CallbackData, prefix="qv"):
    """👍/👎 on an answer; the answer message itself identifies what is voted on."""

    entry: str
    helpful: bool
