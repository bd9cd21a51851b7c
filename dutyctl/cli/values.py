"""Shell completion of option values: staff, categories, urgency classes, departments,
emergency types, kinds, formats and open record ids, from the workspace's own files.

Which values an option takes is read from the option itself (its flag and metavar), so every
command gets it through DutyCommand without a word in the command's own code.
"""

from __future__ import annotations

from typing import Callable

from typer._click.shell_completion import CompletionItem

from dutyctl.errors import DutyError

KINDS_WITH_CATEGORIES = ("call", "complaint", "repair")


def completer_for(param) -> Callable | None:
    """The function completing `param`'s values, or None (then the shell completes files)."""
    flags, metavar = set(param.opts), param.metavar
    if "--format" in flags:
        return _formats
    if ("--staff" in flags or metavar in ("STAFF", "STAFF1", "STAFF2")
            or ("--to" in flags and metavar == "ID")):
        return _staff
    if metavar == "DEPARTMENT":
        return _departments
    if "--type" in flags:
        return _emergency_types
    if "--category" in flags or "--ticket-category" in flags:
        return _categories
    if "--urgency" in flags:
        return _urgency_classes
    if "--kind" in flags:
        return _kinds
    if param.param_type_name == "argument" and metavar == "ID":
        return _open_records
    return None


def completing(function: Callable) -> Callable:
    """A completer never fails the shell: outside a workspace, or in a broken one, it offers
    nothing."""
    def complete(ctx, param, incomplete: str) -> list[CompletionItem]:
        try:
            found = function(ctx, _workspace(ctx))
        except (DutyError, OSError):
            return []
        return [CompletionItem(value, help=text) for value, text in found
                if value.startswith(incomplete) or (text or "").startswith(incomplete)]
    return complete


def _workspace(ctx):
    from dutyctl.workspace import find_workspace

    return find_workspace(ctx.find_root().params.get("root"))


def _kind_of(ctx) -> str | None:
    """The kind a command is about: `log call` -> call, `repair file` -> repair."""
    words = ctx.command_path.split()[1:]
    found = [word for word in words if word in KINDS_WITH_CATEGORIES]
    return found[0] if found else None


@completing
def _staff(ctx, workspace):
    from dutyctl.roster.onduty import cached_rules

    return [(member.id, member.name) for member in cached_rules(workspace).staff]


@completing
def _departments(ctx, workspace):
    return [(dept_id, dept.name) for dept_id, dept in workspace.config.departments.items()]


@completing
def _emergency_types(ctx, workspace):
    return [(type_id, kind.name) for type_id, kind in workspace.config.emergencies.items()]


@completing
def _categories(ctx, workspace):
    kind = _kind_of(ctx)
    catalogues = workspace.config.categories
    chosen = [catalogues[kind]] if kind in catalogues else list(catalogues.values())
    return list({key: name for catalogue in chosen
                 for key, name in catalogue.names.items()}.items())


@completing
def _urgency_classes(ctx, workspace):
    kind = _kind_of(ctx)
    schemes = workspace.config.urgency
    chosen = [schemes[kind]] if kind in schemes and kind != "call" else [
        schemes[name] for name in ("complaint", "repair") if name in schemes]
    return list({key: level.name for scheme in chosen
                 for key, level in scheme.classes.items()}.items())


@completing
def _kinds(ctx, workspace):
    from dutyctl.records import kinds

    return [(kind, None) for kind in kinds()]


@completing
def _formats(ctx, workspace):
    if ctx.command_path.split()[1:2] == ["report"]:
        from dutyctl.reports.render import FORMATS
    else:
        from dutyctl.output import FORMATS
    return [(name, None) for name in FORMATS]


@completing
def _open_records(ctx, workspace):
    """Open records, newest first; of the command's kind when it has one (`repair done`)."""
    from dutyctl.queries import is_open

    group = ctx.command_path.split()[1:2]
    kinds = tuple(group) if group and group[0] in _known_kinds() else None
    records = [record for record in workspace.store.scan(kinds=kinds).records
               if is_open(record)]
    return [(record.id, f"{record.kind} {record.get('summary') or record.get('content') or ''}"
             .strip()) for record in reversed(records)]


def _known_kinds() -> set[str]:
    from dutyctl.records import kinds

    return set(kinds())
