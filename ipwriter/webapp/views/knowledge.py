"""知识库: upload notes, ingest with progress, list and delete sources, the proof
ledger (whose result each number is, consent, corrections), search, and the
retrieval self-test (检索自测)."""

from __future__ import annotations

import streamlit as st

from ipwriter.knowledge.evaluate import EXAMPLE
from ipwriter.knowledge.models import FACT_KINDS
from ipwriter.labels import OWNER_LABELS, consent_label
from ipwriter.webapp.render import evidence_html, md_text
from ipwriter.webapp.state import guard, workspace

UPLOAD_TYPES = ["md", "markdown", "txt", "docx", "pdf", "html", "htm"]

st.title("知识库")
st.caption("你的案例笔记：导入后，每篇草稿里的数字都要能在这里找到出处。")


def _ingest(paths=None) -> None:
    bar = st.progress(0.0, text="准备导入…")

    def progress(done: int, total: int, source: str) -> None:
        bar.progress(done / total if total else 1.0,
                     text=f"正在导入 {done}/{total} {md_text(source)}" if source else f"完成 {total}/{total}")

    report = guard(lambda: workspace().ingest(paths, progress=progress), what="ingest")
    if report is None:
        return
    st.session_state["last_ingest"] = report.model_dump()


def _remove(target: str) -> None:
    def remove() -> str:
        moved = workspace().remove_source(target)
        return md_text(f"已删除 {target}" + (f"，文件移到了 {moved}" if moved else ""))

    done = guard(remove, what="remove source")
    st.session_state["delete_sure"] = False
    if done:
        st.session_state["removed"] = done


# -- upload -------------------------------------------------------------------------
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("上传笔记（md、txt、docx、pdf，可多选）", type=UPLOAD_TYPES,
                             accept_multiple_files=True)
    submitted = st.form_submit_button("上传并导入", type="primary")
if submitted:
    if not files:
        st.warning("请先选择要上传的文件。")
    else:
        written = guard(lambda: workspace().save_uploads([(f.name, f.getvalue()) for f in files]),
                        what="save uploads")
        if written:
            st.toast(f"已保存 {len(written)} 个文件到 knowledge/uploads/")
            for saved in written:
                if saved.replaced:
                    old = md_text(str(saved.replaced.relative_to(workspace().root)))
                    st.info(f"同名的旧文件已移到 {old}，可以找回。")
            _ingest([saved.path for saved in written])

if st.button("重新导入整个知识库", help="扫描 knowledge/ 文件夹：新增、修改、删除的笔记都会同步"):
    _ingest()

last = st.session_state.get("last_ingest")
if last:
    msg = (f"导入完成：新增 {last['added']}，更新 {last['updated']}，未变 {last['unchanged']}，"
           f"移除 {last['removed']}，失败 {last['failed']}；共 {last['chunks']} 个片段、"
           f"{last['facts']} 条数字事实（{last['seconds']:.1f} 秒）")
    (st.warning if last["failed"] else st.success)(msg)
    for err in last["errors"]:
        st.error(md_text(f"{err['path']}：{err['error']}"))

# -- sources ------------------------------------------------------------------------
st.subheader("已导入的笔记")
sources = guard(lambda: workspace().sources(), what="list sources", release=False) or []
if not sources:
    st.info("知识库还是空的：上传笔记，或点「重新导入整个知识库」导入 knowledge/ 文件夹。")
else:
    rows = [{"笔记": s["source"], "标题": s["title"] or "", "片段": s["chunks"], "数字事实": s["facts"],
             "导入时间": (s["ingested_at"] or "")[:19].replace("T", " "), "错误": s["error"] or ""}
            for s in sources]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.expander("删除一篇笔记"):
        target = st.selectbox("要删除的笔记", [s["source"] for s in sources], key="delete_target")
        sure = st.checkbox("确认删除（文件会移到 knowledge/.trash/，可以找回）", key="delete_sure")
        st.button("删除", disabled=not sure, on_click=_remove, args=(target,))
if st.session_state.get("removed"):
    st.success(st.session_state.pop("removed"))

# -- proof ledger ---------------------------------------------------------------------
st.subheader("证据台账（自证 / 他证）")
st.caption("每个数字是谁的结果、有没有授权。写作时“他证”只用已授权的学员/客户结果，“自证”只用你自己的；"
           "认错了就在下面改，改动会保存，重新导入也不会丢。")
kinds = st.multiselect("类型", list(FACT_KINDS), default=["他证", "自证"], key="ledger_kinds")
ledger = guard(lambda: workspace().facts(kinds=kinds or None), what="fact ledger") or []
if st.session_state.get("ledger_msg"):
    st.success(st.session_state.pop("ledger_msg"))
if ledger:
    st.dataframe([{"数字": f.text, "类型": f.kind, "谁的": OWNER_LABELS[f.owner],
                   "授权": consent_label(f.owner, f.consent),
                   "已更正": "是" if f.corrected else "", "笔记": f.source, "原文": f.quote}
                  for f in ledger], hide_index=True, width="stretch")
    with st.expander("更正一条事实"):
        pick = st.selectbox("事实", range(len(ledger)), key="ledger_pick",
                            format_func=lambda i: f"{ledger[i].text}｜{ledger[i].kind}｜{ledger[i].quote[:40]}")
        fact = ledger[pick]
        with st.form("ledger_fix"):  # keys per fact: picking another fact shows its own values
            new_kind = st.selectbox("类型", list(FACT_KINDS), index=list(FACT_KINDS).index(fact.kind),
                                    key=f"ledger_kind_{pick}")
            new_owner = st.selectbox("谁的结果", list(OWNER_LABELS), format_func=OWNER_LABELS.get,
                                     index=list(OWNER_LABELS).index(fact.owner), key=f"ledger_owner_{pick}")
            new_consent = st.checkbox("本人已授权用作他证", value=fact.consent, key=f"ledger_consent_{pick}")
            fix = st.form_submit_button("保存更正")
        if fix:
            changed = guard(lambda: workspace().correct_fact(
                source=fact.source, quote=fact.quote, text=fact.text, kind=new_kind, owner=new_owner,
                consent=new_consent), what="correct fact")
            if changed:
                st.session_state["ledger_msg"] = (
                    f"已更正 {changed} 条：「{md_text(fact.text)}」现在是{new_kind}"
                    f"（{OWNER_LABELS[new_owner]}{'，已授权' if new_consent else ''}）")
                st.rerun()
elif sources:
    st.info("没有这些类型的数字事实。")

# -- search -------------------------------------------------------------------------
st.subheader("搜索证据")
query = st.text_input("搜索你的案例（比如：学员 续费率）", key="kb_query", persist_state="session")
if query.strip():
    found = guard(lambda: workspace().search(query.strip(), k=5), what="search") or []
    if not found:
        st.info("没有找到相关片段。")
    for i, ev in enumerate(found, 1):
        heading = " › ".join(ev.headings) if ev.headings else ev.title
        with st.expander(f"{i}. {md_text(ev.source)} · {md_text(heading)}（相关度 {ev.score:.2f}）",
                         expanded=i == 1):
            st.markdown(f'<div class="evidence">{evidence_html(ev.text, ev.facts)}</div>',
                        unsafe_allow_html=True)
            if ev.facts:
                st.caption("数字事实：" + md_text("；".join(f"{f.text}（{f.kind}）" for f in ev.facts)))

# -- retrieval self-test ----------------------------------------------------------------
st.subheader("检索自测")
st.caption("写几个你写作时会问的问题，各自写上期望找到的笔记，看看证据找得准不准。"
           "没排第 1 的问题会说明排第 1 的是哪篇、为什么。")
with st.form("selftest"):
    upload = st.file_uploader("问题文件（YAML 或 CSV：question, note, 可选 answer）",
                              type=["yaml", "yml", "csv", "tsv"], key="eval_file")
    typed = st.text_area("或者直接写（YAML）", placeholder=EXAMPLE, height=160, key="eval_text")
    run_test = st.form_submit_button("开始自测")
if run_test:
    given = (upload.name, upload.getvalue()) if upload else ("问题.yaml", typed)
    if not upload and not typed.strip():
        st.warning("请先上传问题文件，或在框里写几个问题。")
    else:
        bar = st.progress(0.0, text="检索自测…")
        report = guard(lambda: workspace().eval_retrieval(given, progress=lambda done, total: bar.progress(
            done / total, text=f"检索自测 {done}/{total}")), what="retrieval self-test")
        st.session_state["eval_report"] = report.model_dump() if report else None
report = st.session_state.get("eval_report")
if report:
    for warning in report["warnings"]:
        st.warning(md_text(warning))
    a, b = st.columns(2)
    a.metric(f"前 {report['k']} 条里找到（recall@{report['k']}）",
             f"{report['found']}/{report['questions']}", f"{report['recall_at_k']:.0%}", delta_color="off")
    b.metric("排第 1（hit@1）", f"{report['first']}/{report['questions']}", f"{report['hit_at_1']:.0%}",
             delta_color="off")
    misses = [r for r in report["results"] if r["rank"] != 1]
    if misses:
        st.dataframe([{"问题": r["question"], "期望的笔记": r["note"],
                       "名次": str(r["rank"]) if r["rank"] else f"前 {report['pool']} 条里没有",
                       "为什么": r["why"]} for r in misses], hide_index=True, width="stretch")
    else:
        st.success("每个问题期望的笔记都排在第 1。")
