"""Build each addon's README.rst from its readme/ fragments (what oca-gen-addon-readme does)."""

import ast
import os
import re
import sys

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]


def build(addon):
    with open(os.path.join(addon, "__manifest__.py"), encoding="utf-8") as file:
        manifest = ast.literal_eval(file.read())
    name = manifest["name"]
    parts = ["=" * len(name), name, "=" * len(name), "", manifest.get("summary", ""), ""]
    for filename, title in SECTIONS:
        path = os.path.join(addon, "readme", filename)
        if not os.path.exists(path):
            continue
        if title:
            parts += [title, "=" * len(title), ""]
        with open(path, encoding="utf-8") as file:
            text = re.sub(r"<!--.*?-->\n?", "", file.read(), flags=re.S)
            parts += [text.rstrip(), ""]
    parts += ["License", "=======", "", manifest["license"], ""]
    with open(os.path.join(addon, "README.rst"), "w", encoding="utf-8") as file:
        file.write("\n".join(parts))


if __name__ == "__main__":
    for addon_path in sys.argv[1:]:
        build(addon_path)
