"""XML ids the demo files of the project's addons create (make test checks that a database
installed without demo has none of them, and that a second update keeps their number).

Usage: demo_xmlids.py ROOT MODULE[,MODULE...]
Prints one "module.name" a line: records, menus and templates of the manifests' "demo" files
that are not also defined in their "data" files (a demo file may set fields of a data record).
"""

import ast
import os
import sys

from lxml import etree

TAGS = ("record", "menuitem", "template")


def xml_ids(module, path, files):
    found = set()
    for name in files:
        if not name.endswith(".xml"):
            continue
        for node in etree.parse(os.path.join(path, name)).iter(*TAGS):
            xmlid = node.get("id")
            if xmlid:
                found.add(xmlid if "." in xmlid else f"{module}.{xmlid}")
    return found


def main(root, modules):
    result = set()
    for module in modules.split(","):
        path = os.path.join(root, module)
        with open(os.path.join(path, "__manifest__.py"), encoding="utf-8") as file:
            manifest = ast.literal_eval(file.read())
        demo = xml_ids(module, path, manifest.get("demo", []))
        data = xml_ids(module, path, manifest.get("data", []))
        result |= {xmlid for xmlid in demo - data if xmlid.startswith(f"{module}.")}
    print("\n".join(sorted(result)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
