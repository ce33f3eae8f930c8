"""The zh-hans translations a branch brings in its TRANSLATIONS_<branch>.py, laid over the
compiled catalogue for the tests that read its pages in Chinese, until the lead merges them
into the .po files (then this changes nothing: the catalogue already says the same)."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

from django.utils.translation import trans_real


@contextmanager
def pending_translations(module: str = "TRANSLATIONS_map", language: str = "zh-hans"):
    entries = importlib.import_module(module).T
    catalog = trans_real.translation(language)._catalog
    before = {k: catalog[k] for k in entries if k in catalog}
    for msgid, msgstr in entries.items():
        if msgid not in before:
            catalog[msgid] = msgstr
    try:
        yield entries
    finally:
        for msgid in entries:
            if msgid in before:
                catalog[msgid] = before[msgid]
