"""Print the Odoo log lines at WARNING level or above that no ignore pattern matches."""

import re
import sys

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) \S+ (?P<msg>.*)$")


def main(log_path, ignore_path):
    with open(ignore_path, encoding="utf-8") as ignore_file:
        patterns = [re.compile(line.strip()) for line in ignore_file if line.strip() and not line.startswith("#")]
    bad = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = LINE.match(line)
            if match and not any(p.search(match["msg"]) for p in patterns):
                bad.append(line.rstrip())
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
