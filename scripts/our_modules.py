"""List the project's installable addons whose dependencies are all in the addons path."""

import ast
import os
import sys


def manifest(path):
    with open(os.path.join(path, "__manifest__.py"), encoding="utf-8") as file:
        return ast.literal_eval(file.read())


def main(root, addons_path):
    available = set()
    for folder in addons_path.split(","):
        if os.path.isdir(folder):
            available.update(
                name for name in os.listdir(folder) if os.path.isfile(os.path.join(folder, name, "__manifest__.py"))
            )
    ours = sorted(
        name
        for name in os.listdir(root)
        if name.startswith("crm_vertrieb") and os.path.isfile(os.path.join(root, name, "__manifest__.py"))
    )
    chosen = [
        name
        for name in ours
        if manifest(os.path.join(root, name)).get("installable", True)
        and set(manifest(os.path.join(root, name)).get("depends", [])) <= available
    ]
    print(",".join(chosen))


if __name__ == "__main__":
    main(*sys.argv[1:3])
