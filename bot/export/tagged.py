"""A tagged PDF/A-3b page writer on fpdf2: wrapped text in fonts that have its glyphs, and a structure tree.

Text is wrapped here, not by fpdf2 (one pass per text, with cached word widths), and drawn line by
line, left-aligned. Characters DejaVu Sans lacks (emoji, rare symbols) are drawn in Symbola, a
Debian font (fonts-symbola); what neither font has becomes U+FFFD. Every drawn text belongs to a
structure element (a marked-content sequence with an MCID); headers, footers, rules and fills
are artifacts, as PDF/UA-1 wants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import TTFFont
from fpdf.structure_tree import NumberTree, StructElem, StructTreeRoot
from fpdf.syntax import PDFString

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY, SYMBOLS = "dejavu", "symbola"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
SYMBOL_FONT = "Symbola_hint.ttf"  # Debian's fonts-symbola
FONT_DIRS = (Path("/usr/share/fonts/truetype/ancient-scripts"), Path("/usr/share/fonts"))
MISSING = "\ufffd"
PT = 25.4 / 72  # mm per point
WORDS = re.compile(r"\S+|\s+")
_PROTOTYPES: dict[str, TTFFont] = {}  # parsed once per process; each document gets a copy


@lru_cache(maxsize=1)
def symbol_font() -> Path | None:
    for folder in FONT_DIRS:
        found = next(iter(sorted(folder.rglob(SYMBOL_FONT))), None) if folder.is_dir() else None
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(str(path), lazy=True).getBestCmap())


class Elem(StructElem):
    """A structure element with attributes (`/A`), e.g. a header cell's scope."""

    __slots__ = ("a",)

    def __init__(self, kind: str, parent: Any, alt: str | None = None, a: str | None = None):
        super().__init__(struct_type=f"/{kind}", parent=parent, kids=[], alt=alt)
        self.a = a


class MarkedRef:
    """A marked-content reference to content on another page than the element's /Pg."""

    def __init__(self, page: Any, mcid: int) -> None:
        self.page, self.mcid = page, mcid

    def serialize(self, **_: Any) -> str:
        return f"<</Type /MCR /Pg {self.page.ref} /MCID {self.mcid}>>"


class Tags:
    """The structure tree in the shape fpdf2's output expects of its own (`struct_builder`)."""

    def __init__(self) -> None:
        self.struct_tree_root = StructTreeRoot()
        self.struct_tree_root.parent_tree = NumberTree()
        self.document = Elem("Document", self.struct_tree_root)
        self.struct_tree_root.k.append(self.document)
        self.elems: list[Elem] = [self.document]
        self.doc_struct_elem = SimpleNamespace(k=())  # fpdf2 sets /Pg on these; ours set their own
        self.parents: dict[int, int] = {}  # page number -> its /StructParents

    def add(self, kind: str, parent: Elem | None = None, **kwargs: Any) -> Elem:
        parent = parent or self.document
        elem = Elem(kind, parent, **kwargs)
        parent.k.append(elem)
        self.elems.append(elem)
        return elem

    def mark(self, pdf: FPDF, elem: Elem) -> int:
        """A new MCID on the current page for content of `elem`."""
        page = pdf.pages[pdf.page]
        spid = self.parents.setdefault(pdf.page, len(self.parents))
        page.struct_parents = spid
        kids = self.struct_tree_root.parent_tree.nums[spid]
        mcid = len(kids)
        kids.append(elem)
        if elem.pg is None:
            elem.pg = page  # type: ignore[assignment]  # fpdf2 declares it None until set
        elem.k.append(mcid if elem.pg is page else MarkedRef(page, mcid))
        return mcid

    def empty(self) -> bool:
        return False

    def __iter__(self) -> Iterator[Any]:
        yield self.struct_tree_root
        yield self.struct_tree_root.parent_tree
        yield from self.elems


class TaggedPdf(FPDF):
    """A4 in millimetres, PDF/A-3b, tagged; `self.y` is the top of what is drawn next."""

    def __init__(self, lang: str) -> None:
        super().__init__(
            orientation="portrait", unit="mm", format="A4", enforce_compliance="PDF/A-3B"
        )
        for style, file in FONT_FILES.items():
            self._load(FAMILY, style, FONTS / file)
        self.tags = Tags()
        self.struct_builder = self.tags  # type: ignore[assignment]  # a builder in the shape fpdf2 expects
        self.set_auto_page_break(False)
        self.set_lang(lang)
        fonts = [f for f in self.fonts.values() if isinstance(f, TTFFont)]  # all of them: no core fonts here
        self.supported = frozenset.intersection(*(frozenset(f.cmap) for f in fonts))
        symbols = symbol_font()
        self.symbols = _cmap(symbols) - self.supported if symbols else frozenset()
        self._widths: dict[tuple[str, str, float], float] = {}
        self._runs: dict[str, list[tuple[str, str]]] = {}

    def _load(self, family: str, style: str, path: Path) -> None:
        key = family + style
        if key not in _PROTOTYPES:
            self.add_font(family, style, str(path))
            _PROTOTYPES[key] = deepcopy(cast(TTFFont, self.fonts[key]))
            return
        font = deepcopy(_PROTOTYPES[key])  # shares the parsed tables; the subset is its own
        font.ttfont = TTFont(
            str(path), recalcTimestamp=False, lazy=True
        )  # output subsets it in place
        font.i = len(self.fonts) + 1
        self.fonts[key] = font

    # Text -------------------------------------------------------------------------------------

    def fit(self, text: str) -> str:
        """`text` as it can be drawn: controls, joiners and skin tones dropped, the unknown as U+FFFD."""
        out: list[str] = []
        for char in text.replace("\r\n", "\n").replace("\t", "    "):
            code = ord(char)
            if char == "\n" or code in self.supported:
                out.append(char)
            elif (
                unicodedata.category(char) in ("Cc", "Cf", "Mn", "Sk") or 0x1F3FB <= code <= 0x1F3FF
            ):
                continue
            else:
                out.append(char if code in self.symbols else MISSING)
        return "".join(out)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """`text` cut into (font family, text) runs: DejaVu, or Symbola for what DejaVu lacks."""
        if text not in self._runs:
            runs: list[tuple[str, str]] = []
            for char in text:
                family = FAMILY if ord(char) in self.supported else SYMBOLS
                if runs and runs[-1][0] == family:
                    runs[-1] = (family, runs[-1][1] + char)
                else:
                    runs.append((family, char))
            if any(family == SYMBOLS for family, _ in runs) and SYMBOLS not in self.fonts:
                self._load(SYMBOLS, "", symbol_font())  # type: ignore[arg-type]
            self._runs[text] = runs
        return self._runs[text]

    def width(self, text: str, style: str, size: float) -> float:
        """Width of `text` in mm (cached: the same words come back all the time)."""
        key = (text, style, size)
        if key not in self._widths:
            total = 0
            for family, run in self.runs(text):
                cw = self.fonts[family + (style if family == FAMILY else "")].cw
                total += sum(cw[ord(c)] for c in run)  # type: ignore[misc,index]  # fpdf2 keys widths by code point
            self._widths[key] = total * size * 0.001 * PT
        return self._widths[key]

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """`text` (already fitted) in lines no wider than `width`; long words are cut."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for token in WORDS.findall(paragraph):
                w = self.width(token, style, size)
                if token.isspace():
                    if line:
                        line, used = line + token, used + w
                    continue
                if used + w > width and line.strip():
                    lines.append(line.rstrip())
                    line, used = "", 0.0
                while w > width:  # a word longer than the line: cut it where it fills the line
                    cut = max(1, len(token) * int(width * 0.98) // max(1, int(w)))
                    while cut > 1 and self.width(token[:cut], style, size) > width:
                        cut -= 1
                    lines.append(token[:cut])
                    token = token[cut:]
                    w = self.width(token, style, size)
                line, used = line + token, used + w
            lines.append(line.rstrip())
        return lines

    def draw(self, x: float, top: float, line: str, style: str, size: float, height: float) -> None:
        """One line of text, its top at `top`, in a line box of `height` mm."""
        baseline = top + 0.5 * height + 0.3 * size * PT
        for family, run in self.runs(line):
            self.set_font(family, style if family == FAMILY else "", size)
            self.text(x, baseline, run)
            x += self.width(run, style, size)

    # Structure --------------------------------------------------------------------------------

    @contextmanager
    def marked(self, elem: Elem) -> Iterator[None]:
        mcid = self.tags.mark(self, elem)
        self._out(f"{elem.s} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    @contextmanager
    def artifact(self, kind: str = "Layout") -> Iterator[None]:
        self._out(f"/Artifact <</Type /{kind}>> BDC")
        yield
        self._out("EMC")

    def alt(self, text: str) -> PDFString:
        return PDFString(text)
