"""审阅: the draft with inline marks and its evidence; edit (autosaved as a new
version, checks re-run), approve, reject, regenerate, diff, export, copy."""

from __future__ import annotations

import streamlit as st

from ipwriter.drafts import ApprovalBlocked
from ipwriter.labels import EVENT_LABELS, NO_RECORD_HINT, SEVERITY_LABELS, STATUS_LABELS
from ipwriter.platforms import label as platform_label
from ipwriter.webapp.brief import plan_line
from ipwriter.webapp.render import (
    DIFF_CSS,
    LEVEL,
    VERDICT,
    diff_html,
    legend_html,
    marked_html,
    md_text,
    summary_line,
)
from ipwriter.webapp.state import go, guard, workspace
from ipwriter.write.chains import chain_label
from ipwriter.write.evidence import uncited_backing

st.title("审阅")
ws = guard(workspace, what="open workspace", release=False)
if ws is None:
    st.stop()

recent = guard(lambda: ws.list_drafts(limit=100), release=False) or []
wanted = st.query_params.get("draft")
if not recent and not wanted:
    st.info("还没有草稿：去「写作」生成一篇。")
    st.stop()
ids = [d.draft_id for d in recent]
if wanted and wanted not in ids:
    ids.insert(0, wanted)
labels = {d.draft_id: f"{d.title} · {chain_label(d.chain)} · {STATUS_LABELS.get(d.status, d.status)}"
                     f" · {d.draft_id}" for d in recent}  # the id keeps same-titled drafts apart


def _pick_draft() -> None:
    st.query_params.clear()
    st.query_params["draft"] = st.session_state["review_pick"]


draft_id = st.selectbox("草稿", ids, index=ids.index(wanted) if wanted in ids else 0,
                        format_func=lambda i: labels.get(i, i), key="review_pick",
                        on_change=_pick_draft)
versions = guard(lambda: ws.draft_versions(draft_id), release=False)
if not versions:
    st.stop()
latest = versions[-1]["version"]
v_param = st.query_params.get("v")
try:
    version = int(v_param) if v_param else latest
except ValueError:  # ?v=² or other junk in the URL: show the latest
    version = latest
if not 1 <= version <= latest:
    version = latest
d = guard(lambda: ws.draft(draft_id, version), release=False)
if d is None:
    st.stop()

# -- head: what, which version, the verdict, the actions ------------------------------
where = platform_label(d.platform)
st.subheader(md_text(d.title))  # the model's title: text, never a link
st.caption(f"{chain_label(d.chain)}{' · ' + where if where else ''} · 第 {version}/{latest} 版"
           f"（{'我改的' if d.author == 'user' else md_text(d.model)}）"
           f"· 状态：**{STATUS_LABELS.get(d.status, d.status)}**")
if plan_line(d.run.details):
    st.caption(plan_line(d.run.details))
if version != latest:
    st.info(f"你在看旧的第 {version} 版；编辑它会存成新的第 {latest + 1} 版。")
    if st.button("回到最新版"):
        st.query_params.pop("v", None)
        st.rerun()
st.markdown(summary_line(d.report))
for notice in d.report.notices:
    st.caption(f"提醒：{md_text(notice)}")

msg = st.session_state.pop("review_msg", None)
if msg:
    st.success(msg)


def _approve(**override) -> bool:
    """Approve; findings that block publishing ask for a confirmation with a reason first."""
    def approve():
        try:
            return ws.set_draft_status(draft_id, "approved", **override)
        except ApprovalBlocked as exc:
            st.session_state["approve_blocked"] = (draft_id, exc.version, exc.blockers)
            return None

    return guard(approve, what="approve") is not None


b1, b2, b3, _ = st.columns([1, 1, 1, 3])
if b1.button("通过", type="primary", icon=":material/check:", disabled=d.status == "approved"):
    if _approve():
        st.session_state["review_msg"] = "已通过"
        st.rerun()
if b2.button("不通过", icon=":material/close:", disabled=d.status == "rejected"):
    if guard(lambda: ws.set_draft_status(draft_id, "rejected"), what="reject"):
        st.session_state["review_msg"] = "已标记为不通过"
        st.rerun()
if b3.button("重新生成", icon=":material/refresh:", help="用同样的输入再写一版（存为新版本）"):
    with st.spinner("模型正在重写…"):
        new = guard(lambda: ws.regenerate(draft_id), what="regenerate")
    if new is not None:
        st.session_state["review_msg"] = f"已重新生成：第 {new.version} 版"
        st.query_params.pop("v", None)
        st.rerun()
blocked = st.session_state.get("approve_blocked")
if blocked and blocked[:2] != (draft_id, latest):  # another draft, or a newer version since
    blocked = None
    st.session_state.pop("approve_blocked", None)
if blocked and d.status != "approved":
    with st.container(border=True):
        st.warning(f"第 {blocked[1]} 版还有 {len(blocked[2])} 处必须修改的问题，发布前应先改好。"
                   "确要通过，请写明理由（会记入草稿历史）：")
        for line in blocked[2][:5]:
            st.markdown(f"- {md_text(line)}")
        reason = st.text_input("强制通过的理由", key=f"override-{draft_id}",
                               placeholder="比如：这个数字来自招生页，记录稍后补上")
        c1, c2, _ = st.columns([1, 1, 4])
        if c1.button("仍然通过", type="primary", disabled=not reason.strip()):
            if _approve(force=True, reason=reason):
                st.session_state.pop("approve_blocked", None)
                st.session_state["review_msg"] = "已强制通过，理由已记入草稿历史"
                st.rerun()
        if c2.button("取消"):
            st.session_state.pop("approve_blocked", None)
            st.rerun()

# -- the draft with its marks, and the evidence beside it --------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(legend_html(), unsafe_allow_html=True)
    with st.container(border=True):
        st.markdown(marked_html(d.text, d.report), unsafe_allow_html=True)
    if d.report.numbers:
        with st.expander(f"数字核对（{len(d.report.numbers)}）：每个数字的出处", expanded=True):
            for n in d.report.numbers:
                label = VERDICT[n.verdict][1]
                where = md_text(f"{n.source.path}：「{n.source.quote}」") if n.source else "知识库里找不到"
                note = md_text(f"（{n.note}）") if n.note else ""
                st.markdown(f"- **{md_text(n.text)}** · {label}{note} — {where}")
    if d.report.compliance or d.report.vague:
        with st.expander(f"用语提醒（{len(d.report.compliance) + len(d.report.vague)}）",
                         expanded=bool(d.report.compliance)):
            for c in d.report.compliance:
                st.markdown(f"- **{md_text(c.text)}** · {LEVEL[c.level][1]} · "
                            + md_text(f"{c.rule}：{c.suggestion}（依据：{c.basis}）"))
            for v in d.report.vague:
                hint = "" if v.source else f"（{SEVERITY_LABELS['info']}：{NO_RECORD_HINT}）"
                st.markdown(f"- **{md_text(v.text)}** · 模糊词：{md_text(v.suggestion + hint)}")
    for s in d.report.structure:
        (st.error if s.blocking else st.warning)(f"{md_text(s.problem)}：{md_text(s.suggestion)}")
with right:
    st.markdown("**引用的证据**")
    for c in d.citations:
        with st.container(border=True):
            st.caption(md_text(f"[{c.n}] {c.source}"))
            st.text(c.quote)
    # where the draft's numbers come from, when the model did not cite them itself
    backing = uncited_backing(d)
    for path, quote, numbers in backing:
        with st.container(border=True):
            st.caption(md_text(f"{path} · 支撑：{'、'.join(numbers)}"))
            st.text(quote)
    if not d.citations and not backing:
        st.caption("这一版没有引用知识库的片段，也没有能在记录里找到出处的数字。")
    if d.replacements:
        st.markdown("**改写对照**")
        for r in d.replacements:
            st.markdown(f"- {md_text(r.from_)} → **{md_text(r.to)}**"
                        + (md_text(f"（{r.source}）") if r.source else ""))

# -- edit in place: every save is a new version, checked again ------------------------------
st.divider()
st.markdown("**编辑**（离开输入框或按 Ctrl+Enter 即自动保存为新版本，并重新检查）")
edit_key = f"edit-{draft_id}-{version}"


def _autosave(draft_id: str, key: str, shown: str, base: int) -> None:
    """Save what the creator typed as a new version (only if it differs from
    the text this box was drawn with: a stale box never overwrites)."""
    text = st.session_state.get(key, "")
    if text.strip() == shown.strip():
        return
    new = guard(lambda: workspace().edit_draft(draft_id, text, base_version=base), what="edit")
    if new is not None:
        st.session_state["review_msg"] = f"已保存为第 {new.version} 版，检查已重新运行"
        st.session_state.pop(key, None)
        st.query_params.pop("v", None)


st.text_area("草稿正文", value=d.text, height=260, key=edit_key, on_change=_autosave,
             args=(draft_id, edit_key, d.text, version), label_visibility="collapsed")

# -- versions, export, copy ------------------------------------------------------------------
tab_diff, tab_export, tab_log = st.tabs(["版本对比", "导出与复制", "记录"])
with tab_diff:
    if latest < 2:
        st.caption("只有一个版本。")
    else:
        nums = [v["version"] for v in versions]
        c1, c2 = st.columns(2)
        a = c1.selectbox("旧版本", nums, index=max(0, nums.index(version) - 1), key="diff_a")
        b = c2.selectbox("新版本", nums, index=nums.index(version), key="diff_b")
        old = guard(lambda: ws.draft(draft_id, a), release=False)
        new = guard(lambda: ws.draft(draft_id, b), release=False)
        if old and new:
            st.html(DIFF_CSS + diff_html(old.text, new.text, f"第 {a} 版", f"第 {b} 版"))
with tab_export:
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for fmt, mime in (("md", "text/markdown"), ("docx", docx_mime)):
        # built when clicked, not on every rerun of the page
        st.download_button(f"下载 {fmt.upper()}", file_name=f"{draft_id}-v{version}.{fmt}", mime=mime,
                           data=lambda f=fmt: ws.export_draft(draft_id, f, version=version).read_bytes(),
                           key=f"dl-{fmt}")
    st.caption("复制：点下面框右上角的复制图标")
    st.code(d.text, language=None, wrap_lines=True)
with tab_log:
    for v in versions:
        st.markdown(f"- 第 {v['version']} 版 · {v['created_at'][:19].replace('T', ' ')} · "
                    f"{'我' if v['author'] == 'user' else '模型'} {md_text(v['note'] or '')}")
    for e in guard(lambda: ws.draft_events(draft_id), release=False) or []:
        st.caption(f"{e['at'][:19].replace('T', ' ')} {EVENT_LABELS.get(e['event'], e['event'])} "
                   f"{md_text(e['detail'])}")
    if st.button("在历史里查看全部草稿"):
        go("history")
