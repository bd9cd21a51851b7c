"""Test-only: a dutyctl process started with this folder on PYTHONPATH takes the instant in
$DUTYCTL_TEST_NOW (ISO 8601 with its offset) as "now", as the `clock` fixture does in the
test process. For the installed program run as it is, jobs and all (the example crontab's
`--date yesterday`, `--week last`), on a day of the test's choosing, never the real one.

Without it, $DUTYCTL_TEST_SHIFT_NOW moves the real clock by a fixed number of seconds
(`+SECONDS` or `-SECONDS`, as tests/conftest.py passes it on to every process of a run made
with DUTYCTL_TEST_SHIFT_NOW=2031-03-14): the suite's date-proofing run, where a test that
reads today's date instead of its own fails. dutyctl.timeutil is patched when it is first
imported, not here: a process that never imports it imports nothing more for this."""

import os

_instant = os.environ.get("DUTYCTL_TEST_NOW")
if _instant:
    from datetime import datetime

    from dutyctl import timeutil

    _fixed = datetime.fromisoformat(_instant)
    timeutil.clock = lambda: _fixed
elif os.environ.get("DUTYCTL_TEST_SHIFT_NOW", "")[:1] in ("+", "-"):
    import sys

    def _shift(timeutil, seconds=float(os.environ["DUTYCTL_TEST_SHIFT_NOW"])):
        from datetime import timedelta

        real, by = timeutil.system_clock, timedelta(seconds=seconds)
        if getattr(real, "shifted_by", None) is not None:
            return  # already (the test process: conftest, then a fork's own run)

        def shifted():
            return real() + by

        shifted.shifted_by = by
        timeutil.system_clock = timeutil.clock = shifted

    if "dutyctl.timeutil" in sys.modules:
        _shift(sys.modules["dutyctl.timeutil"])
    else:
        class _ShiftOnImport:
            """A finder that lets the others find dutyctl.timeutil and shifts its clock once
            the module has run."""

            def find_spec(self, name, path=None, target=None):
                if name != "dutyctl.timeutil":
                    return None
                sys.meta_path.remove(self)
                from importlib.util import find_spec

                spec = find_spec(name)
                loader_run = spec.loader.exec_module

                def exec_module(module):
                    loader_run(module)
                    _shift(module)

                spec.loader.exec_module = exec_module
                return spec

        sys.meta_path.insert(0, _ShiftOnImport())
