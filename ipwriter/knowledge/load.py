"""Read a knowledge file into clean text.

Formats: Markdown, plain text, .docx (python-docx), .pdf (pypdf), .html.
Text files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset
of GBK). Web-scraped articles lose their boilerplate: a leading block of short
navigation lines, byline lines (作者/来源/日期/人气 …), "related reading" tails
and a trailing paragraph of glued headline snippets. Every sentence of the
article itself is kept.

Every failure raises :class:`LoadError` with a Chinese-first reason; the
ingest loop records it and moves on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ipwriter.errors import IpwriterError
from ipwriter.knowledge.models import Document
from ipwriter.text.split import SENTENCE_ENDS

TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text"}
SUPPORTED = TEXT_SUFFIXES | {".docx", ".pdf", ".html", ".htm"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class LoadError(IpwriterError):
    exit_code = 2


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise LoadError(f"{name} 是二进制文件，不是文本", f"{name} is binary, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise LoadError(f"{name} 的编码无法识别（不是 UTF-8 也不是 GBK）",
                        f"{name}: unknown text encoding (neither UTF-8 nor GBK)") from None


# -- web boilerplate ------------------------------------------------------
_SENTENCE_END = re.compile(rf"[{re.escape(SENTENCE_ENDS)}]|\.(\s|$)")
_BYLINE_FIELD = re.compile(r"(作者|来源|出处|日期|时间|发布时间|发布于|人气|阅读|浏览|编辑|责编|点击)\s*[:：]")
_TAIL_MARKERS = re.compile(
    r"^\s*(相关阅读|相关文章|推荐阅读|热门文章|热门推荐|猜你喜欢|延伸阅读|上一篇|下一篇|责任编辑|"
    r"版权声明|免责声明|分享到|扫一扫|返回顶部|本文标签|标签[:：])")
_MD_STRUCTURE = re.compile(r"^\s*(#|[-*+>]\s|\d+[.、)]|\|)")


def _is_nav_line(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 8 and not _SENTENCE_END.search(s) and not s.startswith("#") \
        and not re.search(r"[，,:：]", s)


def strip_boilerplate(text: str) -> str:
    lines = text.splitlines()
    # 1. a leading block of ≥ 3 short navigation lines (channel names, one per line)
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    j = i
    while j < len(lines) and _is_nav_line(lines[j]):
        j += 1
    if j - i >= 3:
        lines = lines[j:]
    # 2. byline lines: two or more 作者/来源/日期/人气 fields on one short line
    lines = [ln for ln in lines
             if not (len(_BYLINE_FIELD.findall(ln)) >= 2 and len(ln.strip()) <= 120)]
    # 3. tails: from a "related reading" marker on, everything goes
    for k, ln in enumerate(lines):
        if _TAIL_MARKERS.match(ln):
            lines = lines[:k]
            break
    # 4. a final long paragraph with no sentence end at all: glued headline snippets
    #    (only when real sentences remain above it)
    while lines:
        last = lines[-1].strip()
        if not last:
            lines.pop()
            continue
        if len(last) >= 40 and not _SENTENCE_END.search(last) and not _MD_STRUCTURE.match(last) \
                and any(_SENTENCE_END.search(ln) for ln in lines[:-1]):
            lines.pop()
            continue
        break
    return "\n".join(lines).strip()


# -- bounds ---------------------------------------------------------------
# What a file may unpack to before it is parsed: a small archive can hold
# millions of empty paragraphs (minutes and gigabytes in python-docx) or one
# huge compressed text node. Real notes stay far below these.
DOCX_MAX_XML_BYTES = 32 * 1024 * 1024    # all XML parts, unpacked
DOCX_MAX_ELEMENTS = 400_000              # tags in word/document.xml
PDF_MAX_PAGES = 2000
MAX_TEXT_CHARS = 2_000_000               # extracted text of one file
HTML_MAX_BYTES = 5 * 1024 * 1024


def _too_big(name: str, zh_what: str, en_what: str) -> LoadError:
    return LoadError(f"{name} {zh_what}，超过安全上限，已跳过：请拆分成几个文件或另存为纯文本后再导入",
                     f"{name}: {en_what}, over the safety limit; split it or save it as plain text")


def check_docx_bounds(path: Path) -> None:
    """Look inside the archive before python-docx does: unpacked size and tag count."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            xml = [i for i in z.infolist() if i.filename.endswith((".xml", ".rels"))]
            unpacked = sum(i.file_size for i in xml)
            if unpacked > DOCX_MAX_XML_BYTES:
                raise _too_big(path.name, f"解压后的文档内容有 {unpacked / 1048576:.0f} MB",
                               f"{unpacked} bytes of XML unpacked")
            tags, read = 0, 0
            with z.open("word/document.xml") as body:
                while chunk := body.read(1 << 20):  # the declared size can lie: count what comes out
                    read += len(chunk)
                    tags += chunk.count(b"<")
                    if read > DOCX_MAX_XML_BYTES or tags > DOCX_MAX_ELEMENTS:
                        raise _too_big(path.name, f"正文有超过 {DOCX_MAX_ELEMENTS:,} 个排版元素或超过 "
                                       f"{DOCX_MAX_XML_BYTES >> 20} MB",
                                       f"more than {DOCX_MAX_ELEMENTS} elements or "
                                       f"{DOCX_MAX_XML_BYTES} bytes in word/document.xml")
    except LoadError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise LoadError(f"{path.name} 不是完整的 docx 文件（可能已损坏或被截断）",
                        f"{path.name} is not a valid docx file: {exc}") from None


def _bounded_text(name: str, text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise _too_big(name, f"提取出 {len(text):,} 个字符", f"{len(text)} characters of text")
    return text


# -- formats --------------------------------------------------------------
def _read_docx(path: Path) -> str:
    import docx

    check_docx_bounds(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # BadZipFile, PackageNotFoundError, KeyError, lxml errors …
        raise LoadError(f"{path.name} 不是完整的 docx 文件（可能已损坏或被截断）",
                        f"{path.name} is not a valid docx file: {exc}") from None
    out: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        level = re.search(r"heading\s*(\d)", style)
        if style == "title":
            out.append(f"# {text}")
        elif level:
            out.append("#" * min(6, int(level.group(1)) + 1) + " " + text)
        else:
            out.append(text)
        out.append("")
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                out.append("｜".join(cells))
        out.append("")
    return "\n".join(out)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise LoadError(f"{path.name} 是加密的 PDF，无法读取", f"{path.name} is encrypted")
        if len(reader.pages) > PDF_MAX_PAGES:
            raise _too_big(path.name, f"有 {len(reader.pages)} 页", f"{len(reader.pages)} pages")
        pages, chars = [], 0
        for page in reader.pages:
            pages.append((page.extract_text() or "").strip())
            chars += len(pages[-1])
            if chars > MAX_TEXT_CHARS:
                raise _too_big(path.name, f"提取出超过 {MAX_TEXT_CHARS:,} 个字符",
                               f"more than {MAX_TEXT_CHARS} characters of text")
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, IndexError, TypeError) as exc:
        raise LoadError(f"{path.name} 不是完整的 PDF 文件", f"{path.name}: bad PDF ({exc})") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise LoadError(f"{path.name} 里没有可提取的文字（可能是扫描件）",
                        f"{path.name} has no extractable text (scanned?)")
    return text


def _read_html(data: bytes, name: str) -> str:
    from bs4 import BeautifulSoup

    if len(data) > HTML_MAX_BYTES:
        raise _too_big(name, f"是 {len(data) / 1048576:.1f} MB 的网页（上限 {HTML_MAX_BYTES >> 20} MB）",
                       f"{len(data)} bytes of HTML")
    soup = BeautifulSoup(decode_text(data, name), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "noscript", "form"]):
        tag.decompose()
    out: list[str] = []
    title = soup.title.get_text(strip=True) if soup.title else ""
    h1 = soup.find("h1")
    if h1 is None and title:
        out.append(f"# {title}")
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre", "td"]):
        text = el.get_text(" ", strip=True)
        if not text:
            continue
        if el.name in {"h1", "h2", "h3", "h4"}:
            out.append("#" * int(el.name[1]) + " " + text)
        elif el.name == "li":
            out.append(f"- {text}")
        else:
            out.append(text)
        out.append("")
    return "\n".join(out)


def _title_of(text: str, fallback: str) -> str:
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("# "):
            return s[2:].strip()
    for line in text.splitlines():
        s = line.strip().lstrip("#").strip()
        if s:
            return s if len(s) <= 40 else fallback
    return fallback


def load_document(path: Path, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode, clean. ``source`` is the path as stored (workspace-relative)."""
    suffix = path.suffix.lower()
    name = path.name
    if suffix not in SUPPORTED:
        raise LoadError(f"不支持的文件类型 {suffix or '(无扩展名)'}：{name}",
                        f"unsupported file type {suffix!r}: {name}")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{name} 是空文件", f"{name} is empty")
    if size > max_bytes:
        raise LoadError(
            f"{name} 太大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），请拆分后再导入",
            f"{name} is too large ({size} bytes > {max_bytes})")
    data = path.read_bytes()
    if suffix == ".docx":
        raw = _read_docx(path)
    elif suffix == ".pdf":
        raw = _read_pdf(path)
    elif suffix in {".html", ".htm"}:
        raw = _read_html(data, name)
    else:
        raw = decode_text(data, name)
    raw = _bounded_text(name, raw)
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_boilerplate(text)
    if not text.strip():
        raise LoadError(f"{name} 没有正文内容", f"{name} has no text")
    return Document(source=source, title=_title_of(text, path.stem), text=text,
                    content_hash=content_hash(data))
