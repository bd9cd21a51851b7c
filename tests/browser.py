"""Headless Chromium for the report layout tests, and just enough of a PDF reader.

One Chromium per test module, driven through the DevTools protocol on a pipe
(`--remote-debugging-pipe`: JSON messages ending in a NUL byte, on its descriptors 3 and 4):
a launch costs about half a second of CPU and a second of waiting, a page loaded in the
running browser a few hundredths. `measure` puts each page into an iframe of the width under
test (a headless window cannot be narrower than 500 px, a frame can) and a script measures
them once all have loaded. `print_pdf` prints as `chromium --headless --no-pdf-header-footer
--print-to-pdf` does (the manual's command: its Page.printToPDF with the page's own @page
size and backgrounds); `Pdf` reads the page sizes, link rectangles and text of what
Chromium's Skia writes.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import select
import shutil
import subprocess
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio", "--disable-extensions")
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """$DUTYCTL_CHROMIUM, else the first Chromium on PATH (Debian's package is `chromium`)."""
    named = os.environ.get("DUTYCTL_CHROMIUM")
    if named:
        return named
    return next((found for found in map(shutil.which, NAMES) if found), None)


# Runs in the outer page once every frame has loaded; `measure` gets one frame's window.
MEASURE = r"""
function describe(el) {
  const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className : '';
  return el.tagName.toLowerCase() + cls + ' "' + text + '"';
}
function measure(win) {
  const doc = win.document, root = doc.documentElement;
  const clips = el => win.getComputedStyle(el).overflowX !== 'visible';
  const out = {viewport: win.innerWidth, scrollWidth: root.scrollWidth,
               clientWidth: root.clientWidth, overflows: [], scrolling: [],
               chartText: Infinity, pageText: Infinity};
  for (const el of doc.body.querySelectorAll('*')) {
    if (el.closest('defs, title') || win.getComputedStyle(el).display === 'none') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (clips(el) && el.scrollWidth > el.clientWidth + 1) out.scrolling.push(describe(el));
    // Inside a scroll box a child may be wider on purpose; chart text must stay in its chart.
    const parent = el.ownerSVGElement || el.parentElement;
    if (parent && (el.ownerSVGElement || !clips(parent))) {
      const p = parent.getBoundingClientRect();
      if (box.left < p.left - 1 || box.right > p.right + 1)
        out.overflows.push(describe(el) + ' [' + Math.round(box.left) + ', ' +
                           Math.round(box.right) + '] outside ' + describe(parent) + ' [' +
                           Math.round(p.left) + ', ' + Math.round(p.right) + ']');
    }
    const size = parseFloat(win.getComputedStyle(el).fontSize);
    const svg = el.ownerSVGElement;
    if (svg && el.tagName.toLowerCase() === 'text') {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      out.chartText = Math.min(out.chartText, size * scale);
    } else if (!svg && [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())) {
      out.pageText = Math.min(out.pageText, size);
    }
  }
  return out;
}
window.addEventListener('load', () => {
  const results = {};
  for (const frame of document.querySelectorAll('iframe'))
    results[frame.dataset.name] = measure(frame.contentWindow);
  document.getElementById('results').textContent = JSON.stringify(results);
});
"""


# The outer page's results once every frame has measured (the load handler above fills them).
RESULTS = """new Promise(done => { const look = () => {
  const found = document.getElementById('results');
  if (found && found.textContent) done(found.textContent); else setTimeout(look, 10); };
  look(); })"""
TIMEOUT = 120  # seconds for one command's answer, or an awaited event, all messages included
# The printed page once its web fonts are in (a page printed at loadEventFired could still be
# drawn in a fallback font, its lines and pages laid out for that font).
FONTS_READY = "document.fonts.ready.then(fonts => fonts.status)"


class Browser:
    """A headless Chromium started on first use and kept until `close`."""

    def __init__(self, binary: str, workdir: Path):
        self.binary, self.workdir = binary, workdir
        self._process: subprocess.Popen | None = None
        self._calls = 0
        self._pending = b""
        self._events: list[dict] = []
        self._session = ""

    def measure(self, pages: dict[str, tuple[str, int]]) -> dict[str, dict]:
        """{name: (html, width in CSS px)} -> {name: layout measurements}, in one page load."""
        frames = "".join(
            f'<iframe data-name="{html.escape(name)}" style="display:block;border:0;'
            f'width:{width}px;height:900px" srcdoc="{html.escape(page)}"></iframe>'
            for name, (page, width) in pages.items())
        outer = self.workdir / "measure.html"
        outer.write_text(f'<!DOCTYPE html><html><body>{frames}<pre id="results"></pre>'
                         f"<script>{MEASURE}</script></body></html>", encoding="utf-8")
        self._load(outer)
        found = self._call("Runtime.evaluate", expression=RESULTS, awaitPromise=True,
                           returnByValue=True)
        assert "exceptionDetails" not in found, found
        return json.loads(found["result"]["value"])

    def print_pdf(self, page: str, name: str = "page") -> "Pdf":
        source = self.workdir / f"{name}.html"
        source.write_text(page, encoding="utf-8")
        self._load(source)
        fonts = self._call("Runtime.evaluate", expression=FONTS_READY, awaitPromise=True,
                           returnByValue=True)
        assert fonts.get("result", {}).get("value") == "loaded", fonts
        printed = self._call("Page.printToPDF", printBackground=True, preferCSSPageSize=True,
                             displayHeaderFooter=False)
        return Pdf(base64.b64decode(printed["data"]))

    def close(self) -> None:
        if self._process is None:
            return
        try:
            self._call("Browser.close", session=False)
            self._process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._commands)
            os.close(self._answers)
            self._process, self._session = None, ""

    def launch(self) -> None:
        """Chromium started now, not waited for: its start (about a second, mostly its own
        processes') goes on while the caller makes its pages; the first page waits for it."""
        if self._process is None:
            try:
                self._spawn()
            except BaseException:
                self.close()
                raise

    def _load(self, page: Path) -> None:
        """`page` loaded (its load event fired) in the browser's one tab."""
        if not self._session:
            try:
                if self._process is None:
                    self._spawn()
                self._attach()
            except BaseException:
                self.close()
                raise
        self._events.clear()
        self._call("Page.navigate", url=page.as_uri())
        self._event("Page.loadEventFired", f"{page.name} loaded")

    def _spawn(self) -> None:
        commands, self._commands = os.pipe()  # Chromium reads its commands on descriptor 3
        self._answers, answers = os.pipe()  # and writes its answers on descriptor 4
        log = open(self.workdir / "chromium.log", "wb")
        try:
            self._process = subprocess.Popen(
                ["bash", "-c", f'exec "$@" 3<&{commands} 4>&{answers}', "bash", self.binary,
                 *FLAGS, "--remote-debugging-pipe", "--window-size=1400,1000",
                 f"--user-data-dir={self.workdir / 'profile'}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                pass_fds=(commands, answers))
        finally:
            log.close()
            os.close(commands)
            os.close(answers)

    def _attach(self) -> None:
        """The browser's one tab, once it answers."""
        target = self._call("Target.createTarget", session=False, url="about:blank")["targetId"]
        self._session = self._call("Target.attachToTarget", session=False, targetId=target,
                                   flatten=True)["sessionId"]
        self._call("Page.enable")

    def _call(self, method: str, session: bool = True, **params) -> dict:
        """The result of one DevTools command (to the tab unless `session` is False), within
        TIMEOUT seconds however many events come meanwhile."""
        self._calls += 1
        message = {"id": self._calls, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._next(deadline, f"an answer to {method}")
            if answer.get("id") == self._calls:
                assert "error" not in answer, f"{method}: {answer['error']}"
                return answer["result"]
            self._events.append(answer)

    def _event(self, method: str, what: str) -> dict:
        """The first `method` event, within TIMEOUT seconds (`what`: said if it never came)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self._events:
                if event.get("method") == method:
                    return event
            self._events.append(self._next(deadline, what))

    def _next(self, deadline: float, what: str) -> dict:
        """The browser's next message; AssertionError saying `what` was awaited once the
        deadline (time.monotonic) has passed or the browser closed its end."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail(f"nothing within {TIMEOUT} s", what)
            if b"\0" in self._pending:
                message, self._pending = self._pending.split(b"\0", 1)
                return json.loads(message)
            if not select.select([self._answers], [], [], left)[0]:
                continue  # the deadline, said above
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                self._fail("its pipe closed", what)
            self._pending += chunk

    def _fail(self, how: str, what: str) -> None:
        log = self.workdir / "chromium.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise AssertionError(f"{self.binary}: {how} while waiting for {what}: {tail}")


# -- a minimal PDF reader (Skia's uncompressed object layout, Flate streams) ------------------

@dataclass
class PdfPage:
    width: float
    height: float
    links: list[tuple[str, tuple[float, ...]]] = field(default_factory=list)  # (uri, rect)
    text: str = ""


class Pdf:
    def __init__(self, data: bytes):
        self.data = data
        starts = [(match.start(), int(match.group(1)), match.end())
                  for match in re.finditer(rb"(?m)^(\d+) 0 obj\b", data)]
        self.objects = {number: data[end:(starts[index + 1][0] if index + 1 < len(starts)
                                          else len(data))]
                        for index, (_, number, end) in enumerate(starts)}
        self._cmaps: dict[int, tuple[int, dict[int, str]]] = {}
        root = next(body for body in self.objects.values() if b"/Type /Pages" in body)
        kids = re.search(rb"/Kids \[([^\]]*)\]", root).group(1)
        self.pages = [self._page(int(number)) for number in re.findall(rb"(\d+) 0 R", kids)]

    def _stream(self, number: int) -> bytes:
        body = self.objects[number]
        start = body.index(b"stream") + len(b"stream")
        start += 2 if body[start:start + 2] == b"\r\n" else 1
        length = int(re.search(rb"/Length (\d+)", body).group(1))
        raw = body[start:start + length]
        return zlib.decompress(raw) if b"/FlateDecode" in body[:start] else raw

    def _page(self, number: int) -> PdfPage:
        body = self.objects[number]
        box = [float(value) for value in
               re.search(rb"/MediaBox \[([^\]]*)\]", body).group(1).split()]
        page = PdfPage(box[2] - box[0], box[3] - box[1])
        annots = re.search(rb"/Annots \[([^\]]*)\]", body)
        for ref in re.findall(rb"(\d+) 0 R", annots.group(1)) if annots else ():
            annot = self.objects[int(ref)]
            uri = re.search(rb"/URI \(([^)]*)\)", annot)
            rect = re.search(rb"/Rect \[([^\]]*)\]", annot)
            if uri and rect:
                page.links.append((uri.group(1).decode(),
                                   tuple(float(value) for value in rect.group(1).split())))
        fonts = dict(re.findall(rb"/(F\d+) (\d+) 0 R", body))
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        page.text = self._text(self._stream(int(contents.group(1))), fonts) if contents else ""
        return page

    def _cmap(self, font: int) -> tuple[int, dict[int, str]]:
        """(bytes per code, code -> text) from the font's ToUnicode CMap."""
        if font not in self._cmaps:
            ref = re.search(rb"/ToUnicode (\d+) 0 R", self.objects[font])
            cmap = self._stream(int(ref.group(1))).decode("latin-1") if ref else ""
            width = 2 if re.search(r"begincodespacerange\s*<[0-9A-Fa-f]{4}>", cmap) else 1
            table: dict[int, str] = {}
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for low, high, text in re.findall(
                        r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    first = int(text, 16)
                    for offset in range(int(high, 16) - int(low, 16) + 1):
                        table[int(low, 16) + offset] = chr(first + offset)
            self._cmaps[font] = (width, table)
        return self._cmaps[font]

    def _text(self, content: bytes, fonts: dict[bytes, bytes]) -> str:
        """The page's text in drawing order: each `/F Tf` font's `<hex> Tj` strings decoded."""
        out, cmap = [], (1, {})
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj", content):
            if token.group(1):
                font = fonts.get(token.group(1))
                cmap = self._cmap(int(font)) if font else (1, {})
                continue
            width, table = cmap
            raw = bytes.fromhex(token.group(2).decode())
            out += [table.get(int.from_bytes(raw[index:index + width], "big"), "")
                    for index in range(0, len(raw), width)]
        return "".join(out)
