"""The slowest steps of an Odoo install or update, from its log (``--log-level=info``).

    python benchmarks/install_log.py odoo.log [top]

Prints Odoo's module load times of the project's addons (and the total), crm_vertrieb's own
progress lines (minutes since the first line) and the ``top`` longest gaps between two log lines:
the step a line announces lasted until the next line.
"""

import re
import sys
from datetime import datetime
from itertools import pairwise

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \d+ (\w+) \S+ (\S+): (.*)$")
MODULE = re.compile(r"^(Module (crm_vertrieb\w*) loaded in .*|\d+ modules loaded in .*)$")
OURS = "odoo.addons.crm_vertrieb"
MAX_PROGRESS = 60


def parse(path):
    entries = []
    with open(path, encoding="utf-8", errors="replace") as file:
        for line in file:
            match = LINE.match(line.rstrip("\n"))
            if match:
                stamp, level, logger, message = match.groups()
                entries.append((datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f"), level, logger, message))
    return entries


def main(path, top=10):
    entries = parse(path)
    if not entries:
        print(f"STEP no log lines in {path}")
        return
    start = entries[0][0]
    for _at, _level, _logger, message in entries:
        if MODULE.match(message):
            print(f"STEP {message}")
    progress = [(at, message) for at, _level, logger, message in entries if logger.startswith(OURS)]
    shown = progress
    if len(progress) > MAX_PROGRESS:
        shown = progress[: MAX_PROGRESS // 2] + progress[-MAX_PROGRESS // 2 :]
    for at, message in shown:
        print(f"PROGRESS +{(at - start).total_seconds() / 60:5.2f} min  {message[:160]}")
    if len(shown) < len(progress):
        print(f"PROGRESS ({len(progress) - len(shown)} lines more in {path})")
    gaps = sorted(
        (((following[0] - current[0]).total_seconds(), current) for current, following in pairwise(entries)),
        key=lambda gap: gap[0],
        reverse=True,
    )
    for seconds, (at, _level, logger, message) in gaps[:top]:
        print(f"SLOWEST {seconds:7.1f}s after +{(at - start).total_seconds() / 60:5.2f} min  {logger}: {message[:140]}")
    total = (entries[-1][0] - start).total_seconds()
    print(f"STEP log spans {total / 60:.2f} min, {len(entries)} lines")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)
