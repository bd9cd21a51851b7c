"""The headless-browser driver of the report layout tests (tests/browser.py) itself: a browser
that keeps talking but never answers fails the call clearly, within its deadline."""

from __future__ import annotations

import json
import os
import threading
import time

from tests import browser as driver


def test_a_call_fails_at_its_deadline_though_events_keep_coming(tmp_path, monkeypatch):
    """Every message comes within the deadline but none is the answer (a page that keeps
    logging): the call fails after TIMEOUT seconds in all, naming what it waited for."""
    monkeypatch.setattr(driver, "TIMEOUT", 0.2)  # about ten messages come meanwhile
    running = driver.Browser("chromium", tmp_path)
    commands_read, running._commands = os.pipe()
    running._answers, answers_written = os.pipe()
    stop = threading.Event()

    def chatter() -> None:
        event = json.dumps({"method": "Runtime.consoleAPICalled", "params": {}}).encode()
        while not stop.is_set():
            os.write(answers_written, event + b"\0")
            time.sleep(0.02)

    talking = threading.Thread(target=chatter, daemon=True)
    talking.start()
    outcome: list = []

    def call() -> None:
        try:
            running._call("Page.navigate", url="file:///nowhere.html")
        except AssertionError as failure:
            outcome.append(str(failure))

    caller = threading.Thread(target=call, daemon=True)
    started = time.monotonic()
    caller.start()
    caller.join(timeout=10)
    stop.set()
    talking.join()
    for descriptor in (commands_read, running._commands, running._answers, answers_written):
        os.close(descriptor)
    assert not caller.is_alive(), "the call still waits: no deadline"
    assert outcome and "waiting for an answer to Page.navigate" in outcome[0], outcome
    assert time.monotonic() - started < 5
