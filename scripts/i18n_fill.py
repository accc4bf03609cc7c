"""Fill translations into a .po from a Python file defining a dict T = {msgid: msgstr}.
Only empty entries are filled unless --force. Usage: i18n_fill.py PO DICT_FILE [--force]"""

import runpy
import sys

import polib


def main(po_path, dict_path, force=False):
    table = runpy.run_path(dict_path)["T"]
    po = polib.pofile(po_path, wrapwidth=78)
    filled = 0
    for entry in po:
        if entry.msgid in table and (force or not entry.msgstr):
            entry.msgstr = table[entry.msgid]
            filled += 1
    po.save(po_path)
    missing = [e.msgid for e in po if not e.msgstr]
    print(f"filled {filled}; {len(missing)} still empty")
    for msgid in missing:
        print("  ", repr(msgid))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--force" in sys.argv)
