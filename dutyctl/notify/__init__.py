"""Notifications (issue 16): channels and rules from the `notify:` section of dutyctl.yaml,
a git-ignored outbox in the state folder, the robots' HTTP APIs, and the deadline watch.

`settings` is read with every configuration (cheap, no I/O); `send` and `outbox` run only
after a record is written, and import urllib only when a message goes out.
"""

ALERTS_DIR = "alerts"  # the shared memory of the deadline watch (see watch.py)
