"""Check the wheels of the project's addons against their manifests.

whool packs only the files under git control: a data file, view, translation or asset that was
never committed is missing from the wheel, and Odoo fails (or silently lacks it) only on the
admin's server. This script compares each wheel with what Odoo reads from the addon:

    check_wheel.py DIST ADDON...        one line per problem, exit 1 on any
    check_wheel.py --self-test DIST ADDON
                                        drop a data file from a copy of ADDON's wheel and make sure
                                        the check refuses it (the check must be able to fail)
    check_wheel.py --requires DIST      the wheels' Python requirements that are neither Odoo nor
                                        one of the wheels in DIST, one per line (to install them)
"""

import ast
import email.parser
import fnmatch
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

SKIP_DIRS = {"__pycache__", ".git"}
NOT_PACKED = {"pyproject.toml"}  # whool leaves it out on purpose


def read_manifest(addon_dir):
    with open(os.path.join(addon_dir, "__manifest__.py"), encoding="utf-8") as file:
        return ast.literal_eval(file.read())


def wheel_name(name, version):
    return f"odoo_addon_{name}-{version}-py3-none-any.whl"


def requirement_name(requirement):
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")


def wheel_metadata(wheel_path):
    with zipfile.ZipFile(wheel_path) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(wheel.read(name).decode("utf-8"))


def addon_files(addon_dir):
    """Files of the addon on disk that git does not ignore (relative paths)."""
    files = []
    for folder, dirs, names in os.walk(addon_dir):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in names:
            if not name.endswith(".pyc"):
                files.append(os.path.relpath(os.path.join(folder, name), addon_dir))
    try:
        ignored = subprocess.run(
            ["git", "check-ignore", "--stdin"],
            input="\n".join(files),
            capture_output=True,
            text=True,
            cwd=addon_dir,
            check=False,
        ).stdout.split("\n")
    except FileNotFoundError:
        ignored = []
    return sorted(set(files) - set(ignored) - NOT_PACKED)


def asset_paths(manifest, name, addons_root):
    """Files the asset bundles of the manifest name (globs expanded as Odoo does), and dead globs."""
    found, dead = set(), []
    for bundle, entries in manifest.get("assets", {}).items():
        for entry in entries:
            if isinstance(entry, list | tuple) and entry[0] in ("remove", "include"):
                continue
            path = entry[-1] if isinstance(entry, list | tuple) else entry
            if not path.startswith(f"{name}/"):
                continue  # another addon's file (Odoo checks those)
            matches = [p for p in glob.glob(os.path.join(addons_root, path), recursive=True) if os.path.isfile(p)]
            if not matches:
                dead.append(f"{bundle}: {path}")
            found.update(os.path.relpath(p, os.path.join(addons_root, name)) for p in matches)
    return found, dead


def needed_files(addon_dir, manifest):
    """{relative path: why Odoo needs it}, and problems found in the source itself."""
    name = os.path.basename(os.path.abspath(addon_dir))
    needed, problems = {}, []
    for path in addon_files(addon_dir):
        if path.endswith(".py"):
            needed[path] = "Python code"
        elif fnmatch.fnmatch(path, "i18n/*.po") or fnmatch.fnmatch(path, "i18n/*.pot"):
            needed[path] = "translation"
        elif path.startswith("static/"):
            needed[path] = "static file"
        elif path == "README.rst":
            needed[path] = "description page"
        else:
            needed[path] = "file of the addon"
    for key in ("data", "demo"):
        for path in manifest.get(key, []):
            needed[path] = f"manifest '{key}'"
            if not os.path.isfile(os.path.join(addon_dir, path)):
                problems.append(f"{name}: the manifest's '{key}' names {path}, which does not exist")
    assets, dead = asset_paths(manifest, name, os.path.dirname(os.path.abspath(addon_dir)))
    for path in assets:
        needed[path] = "manifest 'assets'"
    problems += [f"{name}: the asset glob {glob_} matches no file" for glob_ in dead]
    for path in ("__init__.py", "__manifest__.py"):
        needed[path] = "module"
    if manifest.get("application") and not os.path.isfile(os.path.join(addon_dir, "static/description/icon.png")):
        problems.append(f"{name}: an application needs static/description/icon.png")
    return needed, problems


def check_addon(addon_dir, wheel_path):
    """Problems of one addon's wheel (an empty list when the wheel holds everything)."""
    addon_dir = os.path.abspath(addon_dir)
    name = os.path.basename(addon_dir)
    manifest = read_manifest(addon_dir)
    if not os.path.isfile(wheel_path):
        return [f"{name}: no wheel {os.path.basename(wheel_path)} (the version must be the manifest's)"]
    needed, problems = needed_files(addon_dir, manifest)
    prefix = f"odoo/addons/{name}/"
    with zipfile.ZipFile(wheel_path) as wheel:
        packed = {n[len(prefix) :] for n in wheel.namelist() if n.startswith(prefix)}
    for path, why in sorted(needed.items()):
        if path not in packed:
            problems.append(f"{name}: {path} ({why}) is not in the wheel; whool packs only files committed to git")
    meta = wheel_metadata(wheel_path)
    if meta["Name"] != f"odoo-addon-{name}" or meta["Version"] != manifest["version"]:
        problems.append(f"{name}: the wheel says {meta['Name']} {meta['Version']}, the manifest {manifest['version']}")
    requires = {requirement_name(r) for r in meta.get_all("Requires-Dist") or []}
    siblings = os.path.dirname(addon_dir)
    wanted = {p.lower().replace("_", "-") for p in manifest.get("external_dependencies", {}).get("python", [])}
    wanted |= {
        f"odoo-addon-{dep}".replace("_", "-")
        for dep in manifest.get("depends", [])
        if os.path.isfile(os.path.join(siblings, dep, "__manifest__.py"))
    }
    problems += [f"{name}: the wheel does not require {req}" for req in sorted(wanted - requires)]
    return problems


def check(dist, addon_dirs):
    problems = []
    for addon_dir in addon_dirs:
        manifest = read_manifest(addon_dir)
        name = os.path.basename(os.path.abspath(addon_dir))
        wheel_path = os.path.join(dist, wheel_name(name, manifest["version"]))
        found = check_addon(addon_dir, wheel_path)
        problems += found
        if not found:
            with zipfile.ZipFile(wheel_path) as wheel:
                count = len(wheel.namelist())
            print(f"{os.path.basename(wheel_path)}: {count} files, all that Odoo reads from {name}")
    return problems


def self_test(dist, addon_dir):
    """A wheel without one of the manifest's data files must be refused."""
    manifest = read_manifest(addon_dir)
    name = os.path.basename(os.path.abspath(addon_dir))
    dropped = manifest["data"][-1]
    source = os.path.join(dist, wheel_name(name, manifest["version"]))
    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, os.path.basename(source))
        with zipfile.ZipFile(source) as wheel, zipfile.ZipFile(broken, "w") as copy:
            for item in wheel.infolist():
                if item.filename != f"odoo/addons/{name}/{dropped}":
                    copy.writestr(item, wheel.read(item))
        problems = check_addon(addon_dir, broken)
    if not any(dropped in problem for problem in problems):
        return [f"self-test: a wheel without {dropped} was not refused"]
    print(f"self-test: a wheel without {dropped} is refused")
    return []


def extra_requirements(dist):
    wheels = [os.path.join(dist, n) for n in sorted(os.listdir(dist)) if n.endswith(".whl")]
    metas = [wheel_metadata(w) for w in wheels]
    ours = {requirement_name(m["Name"]) for m in metas}
    found = []
    for meta in metas:
        for requirement in meta.get_all("Requires-Dist") or []:
            name = requirement_name(requirement)
            if name != "odoo" and name not in ours and requirement not in found:
                found.append(requirement)
    return found


def main(argv):
    if argv[:1] == ["--requires"]:
        print("\n".join(extra_requirements(argv[1])))
        return 0
    problems = self_test(argv[1], argv[2]) if argv[:1] == ["--self-test"] else check(argv[0], argv[1:])
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
