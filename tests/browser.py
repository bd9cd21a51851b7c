"""Headless Chromium for the report layout tests, and just enough of a PDF reader.

One browser launch measures many pages: each page goes into an iframe of the width under
test (a headless window cannot be narrower than 500 px, a frame can), and a script writes
what it measured into the DOM that `--dump-dom` prints. Printing uses `--print-to-pdf`;
`Pdf` reads the page sizes, link rectangles and text of what Chromium's Skia writes.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
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


@dataclass
class Browser:
    binary: str
    workdir: Path

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        profile = self.workdir / "profile"
        return subprocess.run([self.binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    def measure(self, pages: dict[str, tuple[str, int]]) -> dict[str, dict]:
        """{name: (html, width in CSS px)} -> {name: layout measurements}, in one launch."""
        frames = "".join(
            f'<iframe data-name="{html.escape(name)}" style="display:block;border:0;'
            f'width:{width}px;height:900px" srcdoc="{html.escape(page)}"></iframe>'
            for name, (page, width) in pages.items())
        outer = self.workdir / "measure.html"
        outer.write_text(f'<!DOCTYPE html><html><body>{frames}<pre id="results"></pre>'
                         f"<script>{MEASURE}</script></body></html>", encoding="utf-8")
        done = self._run("--window-size=1400,1000", "--virtual-time-budget=10000",
                         "--dump-dom", outer.as_uri())
        found = re.search(r'<pre id="results">(.*?)</pre>', done.stdout, re.S)
        assert found and found.group(1), (f"no measurements from {self.binary}: "
                                          f"{done.stderr[-2000:]}")
        return json.loads(html.unescape(found.group(1)))

    def print_pdf(self, page: str, name: str = "page") -> "Pdf":
        source, target = self.workdir / f"{name}.html", self.workdir / f"{name}.pdf"
        source.write_text(page, encoding="utf-8")
        target.unlink(missing_ok=True)
        done = self._run("--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri())
        assert target.exists(), f"{self.binary} printed nothing: {done.stderr[-2000:]}"
        return Pdf(target.read_bytes())


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
