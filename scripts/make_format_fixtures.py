"""Write the bundled documents as the files users get: HTML with real tables, then Word and PDF.

Each corpus text becomes an HTML page (a paragraph per line, an empty paragraph per
blank line, TAB rows as a ruled ``<table>``, markdown bold as ``<b>``), which
LibreOffice (Debian's ``libreoffice-writer``, run headless) converts to .docx and
.pdf the way an office suite does. The outputs are committed as test fixtures in
``tests/loaders/data/formats/`` so the tests need no office suite::

    python scripts/make_format_fixtures.py            # all five corpus documents
    python scripts/make_format_fixtures.py --out DIR  # somewhere else

``bench/formats.py`` does the same for documents of ``../shared/realdocs/`` without
committing anything.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "loaders" / "data" / "formats"


def to_html(lines: list[str], title: str) -> str:
    """A text document as an HTML page: paragraphs, and TAB rows as ruled tables."""
    out = [f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"]
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            out.append('<table border="1" cellspacing="0" cellpadding="3">')
            while i < len(lines) and "\t" in lines[i]:
                cells = "".join(f"<td>{_inline(c)}</td>" for c in lines[i].split("\t"))
                out.append(f"<tr>{cells}</tr>")
                i += 1
            out.append("</table>")
            continue
        text = lines[i].strip()
        out.append(f"<p>{_inline(text)}</p>" if text else "<p>&nbsp;</p>")  # kept empty
        i += 1
    out.append("</body></html>")
    return "\n".join(out)


def _inline(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    text = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text).replace("**", "")


def convert(html_file: Path, out: Path, fmt: str) -> Path:
    """Convert with LibreOffice headless (Writer importing HTML)."""
    target = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf:writer_pdf_Export"}[fmt]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-writer)"
        )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--infilter=HTML (StarWriter)", "--convert-to", target, "--outdir", str(out),
             str(html_file)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return out / f"{html_file.stem}.{fmt}"


def make(text_file: Path, out: Path) -> list[Path]:
    """The HTML, .docx and .pdf renditions of one text document.

    Lines the loaders take for noise of a scan (bare page numbers, receiving stamps,
    digital-signature stamps) are no part of the document and are left out.
    """
    from obligraph.loaders.normalise import clean
    from obligraph.loaders.reader import read_lines

    out.mkdir(parents=True, exist_ok=True)
    raw = read_lines(text_file)
    noise = clean(raw).noise
    kept = [line for n, line in enumerate(raw, 1) if n not in noise]
    page = out / f"{text_file.stem}.html"
    page.write_text(to_html(kept, text_file.stem), encoding="utf-8")
    return [page, convert(page, out, "docx"), convert(page, out, "pdf")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    import obligraph

    files = args.files or sorted(obligraph.corpus_dir().glob("*.txt"))
    for f in files:
        for made in make(f, args.out):
            print(
                made.relative_to(args.out.parent) if made.is_relative_to(args.out.parent) else made
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
