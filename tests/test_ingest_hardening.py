"""Ingest holds its ground: nothing outside the workspace gets in (links, paths),
no single note can stall or exhaust it (archive bombs, huge notes, chunk cap),
each batch is stored as soon as it is embedded, a run where every file failed
says so in its exit code, an upload never overwrites a note, and
``ipwriter sources`` lists and removes any source the catalog holds."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import make_app
from ipwriter.knowledge.load import LoadError, load_document
from ipwriter.knowledge.uploads import save_uploads

from .support.fakes import HashEmbeddings
from .support.workspaces import open_workspace

SECRET = "ROOTLINE 这一行在工作区之外 secret-outside-7731"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the workspace (not inside it) holding a secret note."""
    d = tmp_path / "outside"
    d.mkdir()
    (d / "secret.md").write_text(f"# 外面\n\n{SECRET}。\n", encoding="utf-8")
    (d / "deeper").mkdir()
    (d / "deeper" / "more.md").write_text(f"# 更深\n\n{SECRET} 第二篇。\n", encoding="utf-8")
    return d


def cli(ws_root: Path, **settings):
    """Run the CLI in this process; each command's workspace is closed after it, as
    the end of a real ``ipwriter`` process would release its store."""
    runner = CliRunner()
    opened = []

    def open_ws():
        opened.append(open_workspace(ws_root, **settings))
        return opened[-1]

    app = make_app(workspace=open_ws)

    def invoke(*args):
        try:
            return runner.invoke(app, list(args))
        finally:
            while opened:
                opened.pop().close()

    return invoke


def stored(ws) -> set[str]:
    return {s["source"] for s in ws.sources()}


# -- links and paths ----------------------------------------------------------------------
def test_links_that_lead_outside_are_skipped_with_a_reason(demo_ws, outside, monkeypatch):
    k = demo_ws / "knowledge"
    os.symlink(outside / "secret.md", k / "passwd.md")
    os.symlink(outside, k / "linked-dir")
    (demo_ws / "inside.md").write_text("# 工作区里的\n\n第3期学员 33 人。\n", encoding="utf-8")
    os.symlink(demo_ws / "inside.md", k / "ok-link.md")   # a link inside the workspace is fine
    os.symlink(k, k / "loop")                              # a loop ends
    ws = open_workspace(demo_ws)
    try:
        report = ws.ingest()
        sources = stored(ws)
        assert "knowledge/ok-link.md" in sources  # stored under the name the creator sees
        assert not any("secret" in s or "more.md" in s or s.startswith("/") for s in sources)
        skipped = {e.path: e.error for e in report.errors}
        assert any(p.endswith("passwd.md") and "工作区之外" in e for p, e in skipped.items())
        assert any(p.endswith("linked-dir") and "工作区之外" in e for p, e in skipped.items())
        assert all("ROOTLINE" not in h.text for h in ws.search("ROOTLINE secret outside", k=10))
        assert not any(f.source.startswith("/") for f in ws.facts())
    finally:
        ws.close()


def test_a_path_outside_the_workspace_is_refused_and_exit_code_2(demo_ws, outside, monkeypatch):
    monkeypatch.chdir(demo_ws)
    run = cli(demo_ws)
    r = run("ingest", str(outside / "secret.md"), "--json")
    assert r.exit_code == 2, r.output
    data = json.loads(r.stdout)
    assert data["failed"] == 1 and data["added"] == 0
    assert "工作区之外" in data["errors"][0]["error"]
    r = run("ingest", str(outside))
    assert r.exit_code == 2 and "没有导入任何文件" in r.stderr


def test_a_linked_knowledge_folder_is_the_workspace_s_own(tmp_path, outside):
    """knowledge/ itself a link (a synced folder, a vault): its notes get in, under
    knowledge/ names; a link inside it that leads elsewhere still does not."""
    from .support.workspaces import demo_copy

    vault = tmp_path / "vault"
    root = demo_copy(tmp_path / "ws")
    (root / "knowledge").rename(vault)
    os.symlink(vault, root / "knowledge")
    os.symlink(outside / "secret.md", vault / "evil.md")
    ws = open_workspace(root)
    try:
        report = ws.ingest()
        assert report.added == 12 and report.failed == 1 and report.removed == 0
        assert all(s.startswith("knowledge/") for s in stored(ws)) and len(stored(ws)) == 12
        assert ws.ingest().unchanged == 12  # stable on the next run: nothing forgotten
    finally:
        ws.close()


def test_ingest_exit_codes(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    k = demo_ws / "knowledge"
    (k / "empty.md").write_bytes(b"")
    (k / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    run = cli(demo_ws)
    # every file given failed: nothing ingested → 2
    r = run("ingest", "knowledge/empty.md", "knowledge/binary.txt", "--json")
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout)["failed"] == 2
    # some failed, the rest ingested → 0, the failures listed
    r = run("ingest", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["added"] >= 10 and data["failed"] == 2
    # a second run: everything unchanged but the two bad files → still 0 (something is ingested)
    r = run("ingest", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["unchanged"] >= 10


def test_disguised_file_names_are_skipped(demo_ws):
    k = demo_ws / "knowledge"
    (k / "a\u202egpj.md").write_text("# 伪装\n\n学员 12 人。\n", encoding="utf-8")
    (k / "two\nlines.md").write_text("# 换行\n\n学员 13 人。\n", encoding="utf-8")
    ws = open_workspace(demo_ws)
    try:
        report = ws.ingest()
        assert not any("\u202e" in s or "\n" in s for s in stored(ws))
        shown = [e for e in report.errors if "控制字符" in e.error]
        assert len(shown) == 2
        assert all("\u202e" not in e.path and "\n" not in e.path for e in shown)  # escaped when shown
    finally:
        ws.close()


def test_stale_outside_sources_are_forgotten_and_any_source_can_be_removed(demo_ws, outside):
    ws = open_workspace(demo_ws)
    try:
        ws.ingest()
        # a catalog written before links were checked: a source stored by its outside path
        from ipwriter.knowledge.chunk import chunk_document
        from ipwriter.knowledge.facts import extract_facts
        from ipwriter.knowledge.store import FileUpdate

        store = ws.kb.store
        doc = load_document(outside / "secret.md", str(outside / "secret.md"))
        chunks = chunk_document(doc)
        emb = HashEmbeddings()
        store.replace_files([FileUpdate(doc.source, doc.content_hash, doc.title, chunks, ["x"] * len(chunks),
                                        [f for c in chunks for f in extract_facts(c)],
                                        emb.embed_documents([c.embedding_text() for c in chunks]))])
        assert str(outside / "secret.md") in stored(ws)
        # `sources remove` takes it out of the catalog and never touches the outside file
        run = cli(demo_ws)
        ws.close()
        r = run("sources", "remove", str(outside / "secret.md"), "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == {"removed": str(outside / "secret.md"), "moved_to": None}
        assert (outside / "secret.md").is_file()
        assert str(outside / "secret.md") not in stored(ws)
        # stored again; a plain re-ingest of knowledge/ forgets it (it is not in scope, but gone)
        store = ws.kb.store
        store.replace_files([FileUpdate(doc.source, doc.content_hash, doc.title, chunks, ["x"] * len(chunks),
                                        [], emb.embed_documents([c.embedding_text() for c in chunks]))])
        ws.ingest()
        assert str(outside / "secret.md") not in stored(ws)
        assert (outside / "secret.md").is_file()
    finally:
        ws.close()


def test_sources_cli_lists_and_removes(demo_ws, monkeypatch, outside):
    monkeypatch.chdir(demo_ws)
    run = cli(demo_ws)
    assert run("ingest").exit_code == 0
    r = run("sources", "list", "--json")
    rows = json.loads(r.stdout)["sources"]
    assert len(rows) == 12 and {"source", "title", "chunks", "facts", "ingested_at", "error"} <= set(rows[0])
    r = run("sources", "list")
    assert r.exit_code == 0 and "知识库笔记（12）" in r.stdout
    # a link in knowledge/ that points outside: removing it moves the link, never the target
    os.symlink(outside / "secret.md", demo_ws / "knowledge" / "evil.md")
    r = run("sources", "remove", "knowledge/evil.md", "--json")
    assert r.exit_code == 0, r.output
    assert (outside / "secret.md").is_file()
    assert not (demo_ws / "knowledge" / "evil.md").is_symlink()
    r = run("sources", "remove", "knowledge/05-live-stream-cohort-3-enrollment.md")
    assert r.exit_code == 0 and ".trash" in r.stdout
    assert not (demo_ws / "knowledge" / "05-live-stream-cohort-3-enrollment.md").exists()
    # any path to a stored note names it: absolute, or with ..
    note = "knowledge/01-xiaohongshu-zero-to-23k-followers.md"
    r = run("sources", "remove", str(demo_ws / note), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["removed"] == str(demo_ws / note)
    note2 = "knowledge/02-douyin-talking-head-hook-growth.md"
    assert run("sources", "remove", "knowledge/../" + note2).exit_code == 0
    assert not ({note, note2} & stored(open_workspace(demo_ws)))
    r = run("sources", "remove", "knowledge/../../etc/passwd")
    assert r.exit_code == 2 and "没有这篇笔记" in r.stderr
    assert Path("/etc/passwd").is_file()


# -- bounded work per file ------------------------------------------------------------------
DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
DOC_TAIL = b"</w:body></w:document>"


def docx_with_body(path: Path, body: bytes) -> Path:
    """A minimal docx (python-docx opens it) whose document.xml body is ``body``."""
    from docx import Document

    Document().save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["word/document.xml"] = DOC_HEAD + body + DOC_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_docx_bombs_are_rejected_before_parsing(tmp_path):
    empty_paragraphs = docx_with_body(tmp_path / "paras.docx", b"<w:p/>" * 2_000_000)
    assert empty_paragraphs.stat().st_size < 200_000  # small on disk, huge inside
    with pytest.raises(LoadError, match="安全上限"):
        load_document(empty_paragraphs, "knowledge/paras.docx")
    one_node = docx_with_body(tmp_path / "node.docx",
                              b"<w:p><w:r><w:t>" + "复盘".encode() * 20_000_000 + b"</w:t></w:r></w:p>")
    with pytest.raises(LoadError, match="安全上限"):
        load_document(one_node, "knowledge/node.docx")
    fine = docx_with_body(tmp_path / "fine.docx", "<w:p><w:r><w:t>第3期学员 33 人。</w:t></w:r></w:p>".encode() * 50)
    assert "33 人" in load_document(fine, "knowledge/fine.docx").text


def test_big_pdf_and_html_are_rejected(tmp_path, monkeypatch):
    from pypdf import PdfWriter

    import ipwriter.knowledge.load as load_mod

    w = PdfWriter()
    for _ in range(12):
        w.add_blank_page(width=200, height=200)
    pdf = tmp_path / "pages.pdf"
    with open(pdf, "wb") as f:
        w.write(f)
    monkeypatch.setattr(load_mod, "PDF_MAX_PAGES", 10)
    with pytest.raises(LoadError, match="12 页"):
        load_document(pdf, "knowledge/pages.pdf")
    html = tmp_path / "big.html"
    html.write_bytes(b"<html><body>" + b"<p>" + "很长".encode() * 1_000_000 + b"</p></body></html>")
    with pytest.raises(LoadError, match="网页"):
        load_document(html, "knowledge/big.html")


def test_a_note_over_the_chunk_cap_is_skipped_and_the_rest_stored(demo_ws):
    k = demo_ws / "knowledge"
    (k / "huge.md").write_text("第3期复盘，学员 33 人，续费 12 人。" * 3000, encoding="utf-8")  # one long line
    ws = open_workspace(demo_ws, max_chunks_per_note=40)
    try:
        report = ws.ingest()
        huge = [e for e in report.errors if e.path == "knowledge/huge.md"]
        assert huge and "拆" in huge[0].error and "IPWRITER_MAX_CHUNKS_PER_NOTE" in huge[0].error
        assert report.added == 12 and report.failed == 1
    finally:
        ws.close()


class StopOnBigBatch(HashEmbeddings):
    """Embeds the notes; 'Ctrl+C' (KeyboardInterrupt) when it reaches the big one."""

    def embed_documents(self, texts):
        if any("大文件" in t for t in texts):
            raise KeyboardInterrupt
        return super().embed_documents(texts)


def test_a_slow_big_note_does_not_hold_back_the_small_ones(demo_ws):
    from ipwriter.workspace import Workspace

    k = demo_ws / "knowledge"
    # named to sort first: before this change it was read first and embedded with the others
    (k / "000-big.md").write_text("\n\n".join(f"## 大文件第{i}节\n\n" + f"第{i}期学员 {i} 人，续费 {i % 7} 人。" * 12
                                              for i in range(400)), encoding="utf-8")
    ws = Workspace(demo_ws, embeddings=(StopOnBigBatch(), "hash256"))
    try:
        with pytest.raises(KeyboardInterrupt):
            ws.ingest()
        ws.close()
        assert len({s for s in stored(ws) if s != "knowledge/000-big.md"}) == 12  # all stored
        assert "knowledge/000-big.md" not in stored(ws)
    finally:
        ws.close()


# -- uploads ------------------------------------------------------------------------------
def test_the_trash_never_overwrites(tmp_path):
    """Two notes of one name removed in the same second both survive in .trash/."""
    from ipwriter.knowledge.trash import to_trash

    k = tmp_path / "knowledge"
    for sub in ("a", "b", "c"):
        (k / sub).mkdir(parents=True)
        (k / sub / "note.md").write_text(f"# {sub}\n\n第{sub}篇。", encoding="utf-8")
    moved = [to_trash(k, k / sub / "note.md") for sub in ("a", "b", "c")]
    assert len(set(moved)) == 3
    assert sorted(m.read_text(encoding="utf-8")[2] for m in moved) == ["a", "b", "c"]


def test_removing_two_notes_of_one_name_keeps_both(demo_ws):
    k = demo_ws / "knowledge"
    for sub in ("a", "b"):
        (k / sub).mkdir()
        (k / sub / "note.md").write_text(f"# {sub}\n\n第{sub}篇，学员 3 人。", encoding="utf-8")
    ws = open_workspace(demo_ws)
    try:
        ws.ingest()
        moved = [ws.remove_source(f"knowledge/{sub}/note.md") for sub in ("a", "b")]
    finally:
        ws.close()
    assert moved[0] != moved[1]
    assert {m.read_text(encoding="utf-8")[2] for m in moved} == {"a", "b"}


def test_an_upload_never_overwrites_a_note(tmp_path):
    k = tmp_path / "knowledge"
    k.mkdir()
    first = save_uploads(k, [("复盘.md", "# 旧\n\n旧版本。".encode())])
    assert first[0].replaced is None
    again = save_uploads(k, [("复盘.md", "# 旧\n\n旧版本。".encode())])  # the same bytes: nothing moves
    assert again[0].replaced is None and not (k / ".trash").exists()
    newer = save_uploads(k, [("复盘.md", "# 新\n\n新版本。".encode())])
    assert newer[0].replaced is not None and newer[0].replaced.parent == k / ".trash"
    assert "旧版本" in newer[0].replaced.read_text(encoding="utf-8")
    assert "新版本" in (k / "uploads" / "复盘.md").read_text(encoding="utf-8")


# -- the app ------------------------------------------------------------------------------
def test_the_app_removes_a_stale_outside_source_and_keeps_an_overwritten_upload(tmp_path, outside):
    from .test_app import _restore_factory, app_for, make_ws, texts  # noqa: F401 - the fixture too

    ws = make_ws(tmp_path / "ws")
    ws.ingest()
    # a source stored by its outside path (a catalog from before links were checked)
    from ipwriter.knowledge.chunk import chunk_document
    from ipwriter.knowledge.store import FileUpdate

    doc = load_document(outside / "secret.md", str(outside / "secret.md"))
    chunks = chunk_document(doc)
    ws.kb.store.replace_files([FileUpdate(doc.source, doc.content_hash, doc.title, chunks, ["x"] * len(chunks),
                                          [], HashEmbeddings().embed_documents([c.embedding_text() for c in chunks]))])
    ws.close()
    at = app_for(ws)
    at.selectbox(key="delete_target").select(doc.source).run()
    at.checkbox(key="delete_sure").check().run()
    next(b for b in at.button if b.label == "删除").click().run()
    assert not at.exception, at.exception
    assert f"已删除 {doc.source}" in texts(at)
    assert doc.source not in set(at.dataframe[0].value["笔记"])
    assert (outside / "secret.md").is_file()
