"""Every business-rule raise of the addons is triggered by a test that checks its message.

Lists the ``raise UserError/ValidationError/AccessError/RedirectWarning(...)`` sites of the addons
(``crm_vertrieb`` and its bridges ``crm_vertrieb_*``) whose message no test checks, and exits 1 when
one of them is not on the allow-list (``scripts/check_raises_allow.txt``, one entry per line with
its reason).

A heuristic, read the tests to be sure. A raise counts as checked when a string that a test checks
against an exception (the pattern of ``assertRaisesRegex``, or a string of ``assertIn``,
``assertEqual`` or ``assertRegex`` next to ``cm.exception`` or a variable assigned from it, or the
pattern given to a refusal helper of the tests, ``self.assertRefused(UserError, "pattern")``) shares
a distinctive piece with the English message or its German translation (``i18n/de.po``):

- regular-expression syntax splits a fragment into literal pieces (``\\s+`` is a space);
- a piece counts when it shares at least ``MIN_COMMON`` characters with a literal part of the
  message (between its placeholders), or is a whole literal part of at least ``MIN_PIECE``
  characters (so ``"Müller Bau is under legal hold"`` checks ``"%(partner)s is under legal hold"``);
  a piece found whole in a message checks only the messages that contain it whole;
- a piece that matches more than ``MAX_AMBIGUOUS`` different messages of the addons (``"cannot be
  negative"``) checks none of them: an ``assertRaises`` on a common phrase also passes on another
  raise.

Allow-list lines: ``<path>: <first characters of the message> # reason`` (the path relative to the
repository; for a raise without a literal message, the name of its function followed by ``()``).

    python scripts/check_raises.py            # check, exit 1 on an uncovered raise not allowed
    python scripts/check_raises.py --all      # also list the allowed ones
"""

import argparse
import ast
import pathlib
import re
import sys
from difflib import SequenceMatcher

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOW = ROOT / "scripts" / "check_raises_allow.txt"
ERRORS = {"UserError", "ValidationError", "AccessError", "RedirectWarning"}
ASSERTS = {"assertRaisesRegex", "assertRaisesRegexp", "assertRegex", "assertIn", "assertEqual"}
MIN_PIECE = 10
MIN_COMMON = 20
MAX_AMBIGUOUS = 2
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{[^}]*\}|\n")


def addons():
    return sorted(p for p in ROOT.glob("crm_vertrieb*") if (p / "__manifest__.py").exists())


def translations():
    german = {}
    for addon in addons():
        po_path = addon / "i18n" / "de.po"
        if po_path.exists():
            german.update({entry.msgid: entry.msgstr for entry in polib.pofile(str(po_path)) if entry.msgstr})
    return german


def _strings(node):
    """String constants in ``node``: the messages of ``_()`` / ``env._()`` calls."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and len(sub.value) > 12:
            found.append(sub.value)
    return found


def raises():
    """(path, line, function, messages) of each business-rule raise outside the tests."""
    rows = []
    for addon in addons():
        for path in sorted(addon.rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "tests" in rel.parts or "migrations" in rel.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(func):
                    if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                        continue
                    name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                    if name in ERRORS:
                        rows.append((str(rel), node.lineno, func.name, _strings(node.exc)))
    # a raise inside a nested function is seen twice (outer and inner function): keep the inner one
    seen = {}
    for row in rows:
        seen[(row[0], row[1])] = row
    return sorted(seen.values())


def _pieces(fragment):
    text = re.sub(r"\\s[+*]?", " ", fragment)
    text = re.sub(r"\.[*+?]|\[[^\]]*\][*+?]?|[|()^$]|\{\d*,?\d*\}", "\x00", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return [piece.strip() for piece in text.split("\x00") if len(piece.strip()) >= MIN_PIECE]


def _mentions_exception(node, names):
    """Whether ``node`` reads an exception: ``cm.exception`` or a name assigned from it."""
    return any(
        (isinstance(sub, ast.Attribute) and sub.attr == "exception") or (isinstance(sub, ast.Name) and sub.id in names)
        for sub in ast.walk(node)
    )


def _fragments_of(func):
    """Strings checked against an exception in ``func``: the regex of ``assertRaisesRegex`` and the
    strings of ``assertIn``/``assertEqual``/``assertRegex`` calls that read the exception."""
    names = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and _mentions_exception(node.value, names):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    found = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        attr = getattr(node.func, "attr", "")
        args = list(node.args) + [kw.value for kw in node.keywords]
        # a refusal helper of the tests: ``self.assertRefused(UserError, "pattern")`` (its body checks
        # the message of the exception it expects)
        helper = (
            attr != "assertRaises"
            and bool(node.args)
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in ERRORS
        )
        if not helper and attr not in ASSERTS:
            continue
        if not helper and not attr.startswith("assertRaises") and not any(_mentions_exception(a, names) for a in args):
            continue
        for arg in args:
            for sub in ast.walk(arg):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    found.update(_pieces(sub.value))
    return found


def test_fragments():
    fragments = set()
    for addon in addons():
        for path in addon.glob("tests/**/*.py"):
            for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(func, ast.FunctionDef):
                    fragments |= _fragments_of(func)
    return fragments


def _parts(messages, german):
    parts = []
    for message in messages:
        for text in (message, german.get(message, "")):
            parts += [p.strip() for p in PLACEHOLDER.split(" ".join(text.split())) if len(p.strip()) >= MIN_PIECE]
    return parts


def _contains(piece, part):
    return piece in part or (len(part) >= MIN_COMMON and part in piece)


def _overlaps(piece, part):
    match = SequenceMatcher(None, piece, part, autojunk=False).find_longest_match(0, len(piece), 0, len(part))
    return match.size >= MIN_COMMON


def uncovered():
    german = translations()
    rows = raises()
    fragments = test_fragments()
    parts_of = {row[:2]: _parts(row[3], german) for row in rows}
    message_of = {row[:2]: tuple(row[3]) for row in rows}
    covers = {}
    for piece in fragments:
        # a piece found whole in some messages checks those; else the messages it overlaps with
        hit = {key for key, parts in parts_of.items() if any(_contains(piece, part) for part in parts)}
        if not hit:
            hit = {key for key, parts in parts_of.items() if any(_overlaps(piece, part) for part in parts)}
        if hit and len({message_of[key] for key in hit}) <= MAX_AMBIGUOUS:
            for key in hit:
                covers.setdefault(key, piece)
    return [row for row in rows if row[:2] not in covers], len(rows)


def allow_list():
    entries = {}
    for line in ALLOW.read_text(encoding="utf-8").splitlines() if ALLOW.exists() else []:
        if not line.strip() or line.startswith("#"):
            continue
        entry, _sep, reason = line.partition(" # ")
        path, _sep, start = entry.partition(": ")
        if not reason.strip():
            sys.exit(f"check_raises: allow-list entry without a reason: {line}")
        entries[(path.strip(), start.strip())] = reason.strip()
    return entries


def _allowed(row, entries):
    path, _line, function, messages = row
    for entry_path, start in entries:
        if entry_path != path:
            continue
        if start == f"{function}()" or any(message.startswith(start) for message in messages):
            return (entry_path, start)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also list the allowed raises")
    args = parser.parse_args()
    rows, total = uncovered()
    entries = allow_list()
    used, failing = set(), []
    for row in rows:
        key = _allowed(row, entries)
        if key:
            used.add(key)
            if args.all:
                print(f"allowed  {row[0]}:{row[1]}: {(row[3] or [row[2] + '()'])[0][:70]!r} ({entries[key]})")
        else:
            failing.append(row)
    for path, line, function, messages in failing:
        label = messages[0][:70] if messages else f"{function}()"
        print(f"{path}:{line}: no test checks the message {label!r}")
    for path, start in sorted(set(entries) - used):
        print(f"check_raises: stale allow-list entry (covered or gone): {path}: {start}", file=sys.stderr)
    print(
        f"check_raises: {total - len(rows)} of {total} raises checked by a test, {len(rows) - len(failing)} allowed, "
        f"{len(failing)} missing",
        file=sys.stderr,
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
