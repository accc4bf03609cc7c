"""Merge a freshly exported .pot into a language's .po: keep existing translations, add new terms
(untranslated), drop terms the module no longer has. Usage: i18n_merge.py POT PO LANG"""

import sys

import polib


def main(pot_path, po_path, lang):
    pot = polib.pofile(pot_path)
    try:
        old = {entry.msgid: entry for entry in polib.pofile(po_path) if not entry.obsolete}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": lang, "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    po.header = pot.header
    missing = 0
    for entry in pot:
        previous = old.get(entry.msgid)
        entry.msgstr = previous.msgstr if previous else ""
        missing += not entry.msgstr
        po.append(entry)
    po.save(po_path)
    print(f"{po_path}: {len(po)} terms, {missing} without translation")


if __name__ == "__main__":
    main(*sys.argv[1:4])
