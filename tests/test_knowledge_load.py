"""Loading and chunking: formats, encodings, bad files, web boilerplate."""

import zipfile
from pathlib import Path

import pytest

from ipwriter.knowledge.chunk import MAX_CHARS, chunk_document
from ipwriter.knowledge.load import LoadError, load_document, strip_boilerplate
from ipwriter.text.split import sentences as split_sentences

REPO = Path(__file__).resolve().parent.parent
NOTE = (REPO / "knowledge" / "05-live-stream-cohort-3-enrollment.md").read_text(encoding="utf-8")

WEB_ARTICLE = """首页
IT资讯
业界
站长资讯
电商
私域流量的三个误区
作者：王小明　来源：某某科技网　日期：2024-05-01　人气：3821
很多商家把私域理解成拉群发广告。结果群建了几十个，活跃的没有几个。

第一个误区是只拉人不经营。用户进群以后没有得到任何价值，很快就会屏蔽。

第二个误区是把朋友圈当广告栏！每天十几条硬广，好友只会越来越少。
相关阅读：
私域运营的五个工具
苹果发布新款手机销量创新高华为新品发布会定档下月小米汽车交付量突破十万台抖音电商大促战报出炉某地出台新政鼓励消费
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_markdown_title_and_text():
    doc = load_document(REPO / "knowledge/05-live-stream-cohort-3-enrollment.md", "k/05.md")
    assert doc.title.startswith("第3期") or doc.title == NOTE.splitlines()[0][2:]
    assert "在线峰值" in doc.text and len(doc.content_hash) == 64


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path, encoding):
    p = write(tmp_path, "a.md", NOTE.encode(encoding))
    doc = load_document(p, "a.md")
    assert "在线峰值" in doc.text
    assert not doc.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.md", b"", "空文件"),
        ("blank.txt", b"  \n\n  \n", "没有正文"),
        ("binary.md", bytes(range(256)) * 64, "二进制"),
        ("latin.txt", "café ÿ".encode("latin-1") + bytes([0x81, 0x30]) * 3 + b"\xff\xfe\xfd", "编码"),
        ("slides.key", b"whatever", "不支持"),
    ],
)
def test_bad_files_raise_load_error(tmp_path, name, data, message):
    p = write(tmp_path, name, data)
    with pytest.raises(LoadError) as info:
        load_document(p, name)
    assert message in info.value.message


def test_huge_file_is_refused_without_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    with pytest.raises(LoadError, match="太大"):
        load_document(p, "huge.txt", max_bytes=10 * 1024 * 1024)


def test_docx_headings_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("学员成果：小周", level=0)
    d.add_heading("起号过程", level=1)
    d.add_paragraph("小周两个月做到3800粉，接了10单咨询。")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "成交"
    table.rows[0].cells[1].text = "10单"
    p = tmp_path / "case.docx"
    d.save(p)
    doc = load_document(p, "case.docx")
    assert doc.title == "学员成果：小周"
    assert "## 起号过程" in doc.text and "3800粉" in doc.text and "成交｜10单" in doc.text


def test_truncated_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("完整的内容")
    p = tmp_path / "cut.docx"
    d.save(p)
    p.write_bytes(p.read_bytes()[:300])
    with pytest.raises(LoadError, match="docx"):
        load_document(p, "cut.docx")


def test_docx_that_is_not_a_zip(tmp_path):
    p = write(tmp_path, "fake.docx", "其实是文本".encode())
    with pytest.raises(LoadError, match="docx"):
        load_document(p, "fake.docx")
    assert not zipfile.is_zipfile(p)


def _pdf(text: str) -> bytes:
    """A one-page PDF with Helvetica text, built by hand (offsets computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_pdf_text(tmp_path):
    p = write(tmp_path, "report.pdf", _pdf("Live stream peak 612 viewers, 43 orders."))
    doc = load_document(p, "report.pdf")
    assert "612 viewers" in doc.text


def test_broken_pdf(tmp_path):
    p = write(tmp_path, "broken.pdf", _pdf("hello")[:120])
    with pytest.raises(LoadError, match="PDF"):
        load_document(p, "broken.pdf")


def test_html_article(tmp_path):
    html = ("<html><head><title>私域复盘</title><script>var x=1;</script></head><body>"
            "<nav>首页 | 资讯</nav><h1>私域复盘</h1><p>三个月加微信3680人。</p>"
            "<ul><li>转化率8.0%</li></ul><footer>版权所有</footer></body></html>")
    p = write(tmp_path, "a.html", html.encode("utf-8"))
    doc = load_document(p, "a.html")
    assert doc.title == "私域复盘"
    assert "三个月加微信3680人。" in doc.text and "- 转化率8.0%" in doc.text
    assert "var x" not in doc.text and "版权所有" not in doc.text and "首页" not in doc.text


def test_web_boilerplate_is_stripped_and_article_kept(tmp_path):
    p = write(tmp_path, "scraped.txt", WEB_ARTICLE.encode("gbk"))
    doc = load_document(p, "scraped.txt")
    for nav in ("IT资讯", "站长资讯", "作者：", "人气", "相关阅读", "私域运营的五个工具", "小米汽车"):
        assert nav not in doc.text
    for sentence in ("很多商家把私域理解成拉群发广告。", "结果群建了几十个，活跃的没有几个。",
                     "第一个误区是只拉人不经营。", "好友只会越来越少。"):
        assert sentence in doc.text
    assert doc.title == "私域流量的三个误区"


def test_boilerplate_rules_leave_a_normal_note_alone():
    assert strip_boilerplate(NOTE) == NOTE.strip()


def test_chunks_carry_title_and_heading_path():
    doc = load_document(REPO / "knowledge/05-live-stream-cohort-3-enrollment.md", "k/05.md")
    chunks = chunk_document(doc)
    assert len(chunks) >= 2
    assert all(c.title == doc.title for c in chunks)
    assert any("脚本结构和每段时长" in c.headings for c in chunks)
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert [c.ord for c in chunks] == list(range(len(chunks)))
    assert chunk_document(doc)[0].id == chunks[0].id  # deterministic ids
    assert chunks[0].embedding_text().startswith(doc.title)


def test_long_paragraph_splits_at_sentence_ends():
    from ipwriter.knowledge.models import Document

    sentences = [f"第{i}句话讲的是私域运营里一个具体的动作和它带来的结果。" for i in range(40)]
    doc = Document(source="x.md", title="长段落", text="# 长段落\n\n" + "".join(sentences),
                   content_hash="0")
    chunks = chunk_document(doc)
    assert len(chunks) > 1
    for c in chunks:
        assert c.text.endswith("。")  # never cut inside a sentence
    assert "".join(c.text for c in chunks) == "".join(sentences)


def test_sentence_splitter_handles_chinese_and_quotes():
    parts = split_sentences("他说：“能行吗？”我说能。还有；最后…")
    assert parts == ["他说：“能行吗？”", "我说能。", "还有；", "最后…"]
