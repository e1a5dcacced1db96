"""Callback data of every button, with short unique prefixes (64 bytes at most)."""

from aiogram.filters.callback_data import CallbackData


class MenuCb(CallbackData, prefix="m"):
    entry: str


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class BroadcastCb(CallbackData, prefix="bc"):
    action: str  # "pick" (an audience, or a list of them when value is empty), "send", "back", "drop"
    kind: str = ""
    value: str = ""
