"""写作: the four chains with their options, streamed output, 1–3 variants side by side."""

from __future__ import annotations

import time

import streamlit as st

from ipwriter.errors import ConfigError
from ipwriter.profile import PLATFORM_LABELS
from ipwriter.webapp.render import CHAINS as LABELS
from ipwriter.webapp.render import LEVEL, VERDICT, summary_line
from ipwriter.webapp.state import go, guard, workspace

CHAINS = {**LABELS, "post": "有态度的干货帖"}
POST_PLATFORMS = ("xiaohongshu", "douyin", "wechat", "moments")

st.title("写作")
st.caption("每一版草稿都会自动检查：数字有没有出处、广告法用语、平台规则。")

ws = guard(workspace, what="open workspace", release=False)
if ws is None:
    st.stop()
profile = guard(ws.profile, release=False)
sources = [s["source"] for s in (guard(ws.sources, what="list sources", release=False) or [])
           if s["chunks"]]

chain = st.segmented_control("写什么", list(CHAINS), format_func=CHAINS.get, default="post",
                             key="chain", persist_state="session") or "post"
if not sources and chain != "rewrite":
    st.warning("知识库还是空的：先去「知识库」导入笔记，草稿才有真实案例可用。")

with st.form(f"form-{chain}"):
    if chain == "post":
        st.text_input("主题", key="post_topic", persist_state="session",
                      placeholder="比如：小红书起号，先别急着投流")
        st.selectbox("平台", POST_PLATFORMS, format_func=PLATFORM_LABELS.get, key="post_platform",
                     persist_state="session")
        st.multiselect("指定案例（可不选：按主题自动检索）", sources, key="post_cases",
                       persist_state="session")
    elif chain == "rewrite":
        st.text_area("要改写的文案（把形容词换成记录里的真实数字）", key="rewrite_text", height=160,
                     persist_state="session")
    elif chain == "script":
        products = [p.name for p in profile.products] if profile else []
        st.selectbox("产品", products, key="script_product", persist_state="session")
        st.number_input("直播时长（分钟）", min_value=10, max_value=240, value=60, step=5,
                        key="script_minutes", persist_state="session")
    else:
        st.selectbox("案例", sources, key="pack_case", persist_state="session")
    st.number_input("生成几个版本（并排对比）", min_value=1, max_value=3, value=1, key="variants",
                    persist_state="session")
    submitted = st.form_submit_button("开始生成", type="primary")


def _run_chain(on_token):
    s = st.session_state
    if chain == "post":
        return ws.write_post(s["post_topic"], s["post_platform"], s["post_cases"] or None,
                             on_token=on_token)
    if chain == "rewrite":
        return ws.rewrite(s["rewrite_text"], on_token=on_token)
    if chain == "script":
        if not s.get("script_product"):
            raise ConfigError("档案里还没有产品：先在「设置」里的档案加上产品", "no products in profile")
        return ws.write_script(s["script_product"], int(s["script_minutes"]), on_token=on_token)
    if not s.get("pack_case"):
        raise ConfigError("请先选择一篇案例", "choose a case note")
    return ws.pack(s["pack_case"], on_token=on_token)


def _streamer(box):
    """An on_token sink that shows the reply as it arrives (at most ~8 redraws a second)."""
    buf: list[str] = []
    last = [0.0]

    def sink(piece: str) -> None:
        buf.append(piece)
        now = time.monotonic()
        if now - last[0] > 0.12:
            last[0] = now
            box.code("".join(buf)[-1200:], language=None, wrap_lines=True)

    return sink


if submitted:
    n = int(st.session_state["variants"])
    cols = st.columns(n)
    made: list[str] = []
    for i, col in enumerate(cols):
        with col:
            st.markdown(f"**版本 {i + 1}**")
            with st.spinner("模型正在写…（本地小模型每版约 1 分钟）"):
                box = st.empty()
                draft = guard(lambda b=box: _run_chain(_streamer(b)), what=f"generate {chain}")
            box.empty()
            if draft is None:
                break  # the error is on the page; the form keeps what was typed
            made.append(draft.draft_id)
    if made:
        st.session_state["write_results"] = made

results = st.session_state.get("write_results") or []
if results:
    st.subheader("刚生成的草稿")
    cols = st.columns(len(results))
    for col, draft_id in zip(cols, results):
        with col:
            d = guard(lambda i=draft_id: ws.draft(i), release=False)
            if d is None:
                continue
            st.markdown(f"#### {d.title}")
            st.caption(f"{CHAINS.get(d.chain, d.chain)} · {PLATFORM_LABELS.get(d.platform or '', '')} · "
                       f"草稿 {d.draft_id}")
            st.markdown(summary_line(d.report))
            problems = [f"数字「{n.text}」{VERDICT[n.verdict][1]}" for n in d.report.numbers
                        if n.verdict in ("ungrounded", "context_mismatch")]
            problems += [f"「{c.text}」{LEVEL[c.level][1]}：{c.rule}" for c in d.report.compliance]
            problems += [s.problem for s in d.report.structure]
            if problems:
                with st.expander(f"检查报告：{len(problems)} 处要看"):
                    st.markdown("\n".join(f"- {x}" for x in problems))
            with st.container(border=True, height=360):
                st.text(d.text)
            if st.button("去审阅", key=f"review-{draft_id}", type="primary"):
                go("review", draft=draft_id)
