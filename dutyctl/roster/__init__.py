"""The roster engine: rules, roster files, the solver and the duty API (`onduty.py`).

Modules are imported lazily by the CLI and by other areas; nothing here imports typer.
"""
