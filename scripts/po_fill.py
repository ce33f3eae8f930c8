"""Fill msgstr entries of a .po catalogue from a Python dict file (a maintenance helper).

    python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po translations.py

The dict file defines `T = {msgid: msgstr}`. Existing translations are kept unless the dict
has a different one; fuzzy flags are cleared for entries it fills. Prints what is still missing.
"""

import runpy
import sys

import polib


def main(po_path: str, dict_path: str) -> int:
    table = runpy.run_path(dict_path)["T"]
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        if entry.msgid_plural and entry.msgid in table:
            entry.msgstr_plural = {0: table[entry.msgid]}
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for msgid in missing:
        print(f"missing: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
