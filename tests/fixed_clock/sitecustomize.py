"""Test-only: a dutyctl process started with this folder on PYTHONPATH takes the instant in
$DUTYCTL_TEST_NOW (ISO 8601 with its offset) as "now", as the `clock` fixture does in the
test process. For the installed program run as it is, jobs and all (the example crontab's
`--date yesterday`, `--week last`), on a day of the test's choosing, never the real one."""

import os

_instant = os.environ.get("DUTYCTL_TEST_NOW")
if _instant:
    from datetime import datetime

    from dutyctl import timeutil

    _fixed = datetime.fromisoformat(_instant)
    timeutil.clock = lambda: _fixed
