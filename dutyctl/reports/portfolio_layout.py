"""The portfolio review laid out in the site reports' blocks (same renderers, same CSS)."""

from __future__ import annotations

from datetime import date

from dutyctl.commandwords import said
from dutyctl.messages import N_, gettext, t, tn
from dutyctl.reports.blocks import Document, Note, Said, Section
from dutyctl.records import ticket_kinds
from dutyctl.reports.build import ticket_key
from dutyctl.reports.period import WEEKLY
from dutyctl.reports.layout import against, facts, share, table, target_text, ticket_columns
from dutyctl.reports.portfolio import RATES

RATE_LABELS = {"compliance_rate": N_("Deadlines kept"),
               "emergency_arrive_rate": N_("Emergency repairs on site in time"),
               "satisfied_share": N_("Satisfied (4-5)"),
               "visit_rate": N_("Return-visit rate")}
#: the alert counts the sites table shows (the rest are in the JSON and the totals)
SHOWN_ALERTS = ("emergency", "overdue", "absent", "dissatisfied")
ALERT_COLUMNS = {"emergency": N_("emergencies not under control"), "overdue": N_("overdue"),
                 "absent": N_("absent"), "dissatisfied": N_("dissatisfied")}
ALERT_LABELS = {"emergency": N_("Emergencies not under control"),
                "overdue": N_("Overdue items"), "absent": N_("Absences"),
                "unaccepted": N_("Handovers not accepted"),
                "unfilled": N_("Unfilled roster slots"),
                "readiness": N_("Readiness problems open"),
                "dissatisfied": N_("Dissatisfied return visits")}


def _period(head: dict) -> str:
    from dutyctl.reports.period import period_label

    return period_label(head["period_type"], date.fromisoformat(head["first"]))


def overview(data: dict) -> Section:
    head, alerts = data["report"], data["alerts"]
    items = [(t("Sites listed"), head["sites"]), (t("Sites read"), head["read"]),
             (t("Sites that miss a target"), head["missing_a_target"]),
             (t("Sites that could not be read"), head["unreadable"])]
    items += [(gettext(ALERT_LABELS[word]), alerts[word]) for word in ALERT_LABELS]
    flagged = [t("Sites that miss a target")] * bool(head["missing_a_target"]) \
        + [t("Sites that could not be read")] * bool(head["unreadable"]) \
        + [gettext(ALERT_LABELS[word]) for word in ALERT_LABELS
           if alerts[word] and word != "unfilled"]
    return Section(t("Overview"), (facts(items, alerts=flagged),))


def site_names(data: dict):
    """A site's name as the review shows it: with its folder's name when another site read has
    the same name (two 阳光花园 centres of one company), else the rows could not be told apart."""
    from collections import Counter

    used = Counter(row["site"] for row in data["sites"] if row["status"] == "ok")

    def shown(row: dict) -> str:
        if used[row["site"]] < 2:
            return row["site"]
        # the folder first: a narrow column cuts the end of a long name, never the folder
        return t("{folder}: {site}", folder=row.get("folder_name", row["folder"]),
                 site=row["site"])
    return shown


def misses_section(data: dict) -> Section:
    if not data["misses"]:
        if data["report"]["read"]:
            return Section(t("Sites that miss a target"),
                           (Note(t("Every site read meets its targets.")),))
        return Section(t("Sites that miss a target"), (Note(t("No site could be read.")),))
    return Section(t("Sites that miss a target"), (table(
        [t("site"), t("figure"), t("value"), t("target")],
        ((site_names(data)(miss), gettext(RATE_LABELS[miss["figure"]]),
          _of({**miss, "meets": None}), target_text(miss["target"]))
         for miss in data["misses"]),
        tn("{count} rate below the site's own target",
           "{count} rates below the sites' own targets", len(data["misses"])),
        numeric=[2, 3], marked=[(index, 2) for index in range(len(data["misses"]))]),))


#: the short column headers of the rates table (the misses table names them in full)
RATE_COLUMNS = {"compliance_rate": N_("deadlines kept"),
                "emergency_arrive_rate": N_("emergency repairs on site in time"),
                "satisfied_share": N_("satisfied (4-5)"), "visit_rate": N_("visit rate")}


def _linked(read: list[dict]) -> list[tuple[int, int, str]]:
    return [(index, 0, row["report"]) for index, row in enumerate(read) if row["report"]]


def _of(judged: dict) -> str:
    """A rate against its target, with what it is a share of (0.0% ✗ (0/1)): a rate of one
    visit or three repairs reads otherwise as a site-wide failure."""
    shown = against(judged["value"], judged["meets"])
    if judged.get("of") is None or judged["value"] is None:  # (a portfolio of before them)
        return shown
    return Said(t("{rate} ({count}/{of})", rate=shown, count=judged["count"],
                  of=judged["of"]), judged["value"], "share")  # a sheet keeps the share


def rates_section(data: dict) -> Section:
    """One row per site read: its rates, marked when below the site's own target, and its
    coverage in fact; the sites that miss a target first."""
    read = [row for row in data["sites"] if row["status"] == "ok"]
    if not read:
        return Section(t("Rates against targets"), (Note(t("No site could be read.")),))
    rows, marked = [], []
    for index, row in enumerate(read):
        judged = row["rates"]
        rows.append((site_names(data)(row),
                     *(_of(judged[key]) for key in RATES), share(row["covered_in_fact"])))
        marked += [(index, 1 + column) for column, key in enumerate(RATES)
                   if judged[key]["meets"] is False]
    columns = [t("site"), *(gettext(RATE_COLUMNS[key]) for key in RATES),
               t("covered in fact")]
    return Section(t("Rates against targets"), (
        table(columns, rows, numeric=range(1, len(columns)), marked=marked,
              links=_linked(read)),
        Note(t("Each rate is judged against the site's own targets (targets: in its "
               "dutyctl.yaml); ✗ marks a rate below its target, - a rate with nothing to "
               "judge in the period."))))


def activity_section(data: dict) -> Section:
    """Per site: how much was recorded and what needs attention there at the period's end."""
    read = [row for row in data["sites"] if row["status"] == "ok"]
    if not read:
        return Section(t("Volumes and what needs attention"), (Note(t("No site could be read.")),))
    tickets = [ticket_key(kind, "filed") for kind in ticket_kinds()]
    columns = [t("site"), t("records"), t("calls"), *ticket_columns(),
               *(gettext(ALERT_COLUMNS[word]) for word in SHOWN_ALERTS)]
    name = site_names(data)
    rows = ((name(row), row["records_read"], row["volumes"]["calls"],
             *(row["volumes"][key] for key in tickets),
             *(row["alerts"][word] for word in SHOWN_ALERTS)) for row in read)
    first_alert = len(columns) - len(SHOWN_ALERTS)
    marked = [(index, first_alert + column) for index, row in enumerate(read)
              for column, word in enumerate(SHOWN_ALERTS) if row["alerts"][word]]
    return Section(t("Volumes and what needs attention"), (
        table(columns, rows, numeric=range(1, len(columns)), marked=marked,
              links=_linked(read)),))


def unreadable_section(data: dict) -> tuple[Section, ...]:
    failed = [row for row in data["sites"] if row["status"] != "ok"]
    if not failed:
        return ()
    return (Section(t("Sites that could not be read"), tuple(
        Note(t("{folder}: {reason}", folder=row["folder"], reason=row["error"]), alert=True)
        for row in failed)),)


def reports_section(data: dict) -> Section:
    read = [row for row in data["sites"] if row["status"] == "ok"]
    linked = [row for row in read if row["report"]]
    if not linked:
        return Section(t("Each site's own report"), (Note(t(
            "Each site's own review: dutyctl {command}, run in the site's folder (this "
            "review writes them all beside it with --site-reports DIR).",
            command=said("report", data["report"]["period_type"]))),))
    return Section(t("Each site's own report"), (table(
        [t("site"), t("report")], ((site_names(data)(row), row["report"]) for row in linked),
        links=[(index, 1, row["report"]) for index, row in enumerate(linked)]),))


def document(data: dict) -> Document:
    head = data["report"]
    title = (t("Weekly review across sites {period}", period=_period(head))
             if head["period_type"] == WEEKLY else
             t("Monthly review across sites {period}", period=_period(head)))
    from datetime import date

    from dutyctl.output import date_label

    # the days as a site report's subtitle writes them (2026年10月1日 – 2026年10月31日)
    span = " – ".join(date_label(date.fromisoformat(head[end])) for end in ("first", "last"))
    subtitle = (tn("{span}; {count} site", "{span}; {count} sites", head["sites"], span=span)
                if head["complete"] else
                tn("{span}, so far (the period is not over); {count} site",
                   "{span}, so far (the period is not over); {count} sites", head["sites"],
                   span=span))
    sections = (overview(data), misses_section(data), *unreadable_section(data),
                rates_section(data), activity_section(data), reports_section(data))
    return Document(title, subtitle, sections)

