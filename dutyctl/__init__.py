"""dutyctl: the duty system of a residential property service center."""

__version__ = "0.1.0"
