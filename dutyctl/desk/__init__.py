"""The shift desk (seed 3.4, 3.5, 4.1): clocking in and out, attendance against the roster,
the readiness checklist and the written handover. No typer here: the CLI is dutyctl/cli/desk.py.

Modules:
- shiftdesk: the desk object (ShiftDesk): the workflows the desk commands run (clock out with
  its handover rule, clock in, writing and accepting a handover), planned before anything is
  written.
- rostered: the one place that reads the roster (dutyctl.roster.onduty, imported lazily).
- sessions: a duty or call-out record as a session, `gone_home` (asked by every step a
  $DUTYCTL_USER records: light to import) and `back_soon` (a clock-in's question instead).
- attendance: pure functions over (slots, duty sessions): verdicts and the monthly report.
- clocking: clock in, the clock-out verdict and who takes over, against the store.
- checklist: readiness runs and their open problems.
- handover: gathering open items, writing and accepting handovers.
"""
