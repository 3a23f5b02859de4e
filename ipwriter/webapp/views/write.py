"""写作: every registered chain with its options, streamed output, 1–3 variants side by side.

先看素材 shows the chain's brief (no model); the stance, title and cases picked
there are the plan the draft is written to (按这个提纲生成). 开始生成 without a
brief writes to the brief's own first picks.

The options come from the chain's inputs model (``write.inputs``): one widget
per field, keyed ``<chain>_<field>``; choices come from the profile's
products, the ingested notes and the chain's platforms.
"""

from __future__ import annotations

import time

import streamlit as st

from ipwriter.errors import ConfigError
from ipwriter.labels import UNBACKED_VERDICTS
from ipwriter.platforms import label as platform_label
from ipwriter.webapp.brief import show_brief
from ipwriter.webapp.render import LEVEL, VERDICT, md_text, summary_line
from ipwriter.webapp.state import go, guard, workspace
from ipwriter.write.brief import Brief
from ipwriter.write.chains import CHAINS, chain_label
from ipwriter.write.inputs import bounds_of, label_of, param_of, ui_of

st.title("写作")
st.caption("每一版草稿都会自动检查：数字有没有出处、广告法用语、平台规则。")

ws = guard(workspace, what="open workspace", release=False)
if ws is None:
    st.stop()
profile = guard(ws.profile, release=False)
sources = [s["source"] for s in (guard(ws.sources, what="list sources", release=False) or [])
           if s["chunks"]]
products = [p.name for p in profile.products] if profile else []
# what each kind of input needs before a chain can run, and what to say when it is missing
CHOICES = {"product": (products, "档案里还没有产品：先在「设置」里的档案加上产品"),
           "case": (sources, "知识库还是空的：先去「知识库」导入笔记"),
           "cases": (sources, "")}

names = list(CHAINS)
first = "post" if "post" in names else names[0]
chain_name = st.segmented_control("写什么", names, format_func=lambda n: CHAINS[n].label,
                                  default=first, key="chain", persist_state="session") or first
chain = CHAINS[chain_name]
if not sources:
    st.warning("知识库还是空的：先去「知识库」导入笔记，草稿才有真实案例和数字可用。")


def _field(name: str, field) -> None:
    """One widget for one input, keyed ``<chain>_<field>``."""
    key = f"{chain_name}_{name}"
    label = label_of(name, field)
    kind = ui_of(name, field)
    default = None if field.is_required() else field.default
    if kind == "platform":
        st.selectbox(label, chain.platforms, format_func=platform_label, key=key,
                     index=chain.platforms.index(default) if default in chain.platforms else 0,
                     persist_state="session")
    elif kind in ("product", "case"):
        st.selectbox(label, CHOICES[kind][0], key=key, persist_state="session")
    elif kind == "cases":
        st.multiselect(label, CHOICES[kind][0], key=key, persist_state="session")
    elif kind == "number":
        lo, hi = bounds_of(field)
        st.number_input(label, min_value=lo, max_value=hi, value=default,
                        step=field.annotation(param_of(field).step),  # int or float, as the field
                        key=key, persist_state="session")
    elif kind in ("long_text", "lines"):
        st.text_area(label + ("（每行一条）" if kind == "lines" else ""), key=key,
                     height=160 if kind == "long_text" else 100, persist_state="session")
    else:
        st.text_input(label, key=key, placeholder=param_of(field).placeholder,
                      persist_state="session")


with st.form(f"form-{chain_name}"):
    for name, field in chain.inputs.model_fields.items():
        if ui_of(name, field) != "plan":  # the plan comes from the 先看素材 step
            _field(name, field)
    st.number_input("生成几个版本（并排对比）", min_value=1, max_value=3, value=1, key="variants",
                    persist_state="session")
    left, right = st.columns(2)
    wants_brief = left.form_submit_button("先看素材（不调用模型）") if chain.brief else False
    submitted = right.form_submit_button("开始生成", type="primary")


def _inputs() -> dict:
    values = {}
    for name, field in chain.inputs.model_fields.items():
        value = st.session_state.get(f"{chain_name}_{name}")
        kind = ui_of(name, field)
        if kind == "plan":
            continue
        if kind in CHOICES and CHOICES[kind][1] and not value:
            raise ConfigError(CHOICES[kind][1], f"nothing to choose for {name}")
        if kind == "lines":
            value = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if value is not None:
            values[name] = value
    return values


def _with_plan(plan) -> dict:
    """The form's inputs, with the plan picked from the brief (if the chain takes one and
    the brief was made for these inputs: a plan for another topic is never used)."""
    values = _inputs()
    if plan is None or shown is None or "plan" not in chain.inputs.model_fields:
        return values
    now = chain.parse(values).model_dump(mode="json", exclude={"plan"})
    if now != shown.request:
        st.warning("输入改过了：上面的素材提纲是按之前的输入做的，这次按新输入自动挑素材。"
                   "想自己挑，请重新点「先看素材」。")
        return values
    return {**values, "plan": plan}


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


brief_key = f"brief_{chain_name}"
if wants_brief:
    made_brief = guard(lambda: ws.brief(chain_name, _inputs()), what=f"brief {chain_name}",
                       release=False)
    st.session_state[brief_key] = made_brief.model_dump(mode="json") if made_brief else None
plan, shown = None, None
if st.session_state.get(brief_key):
    shown = Brief.model_validate(st.session_state[brief_key])
    plan = show_brief(shown, brief_key)
    if "plan" in chain.inputs.model_fields:
        submitted = st.button("按这个提纲生成", type="primary", key=f"{brief_key}_go") or submitted

if submitted:
    n = int(st.session_state["variants"])
    cols = st.columns(n)
    made: list[str] = []
    for i, col in enumerate(cols):
        with col:
            st.markdown(f"**版本 {i + 1}**")
            with st.spinner("模型正在写…（本地小模型每版约 1 分钟）"):
                box = st.empty()
                draft = guard(lambda b=box: ws.write(chain_name, _with_plan(plan),
                                                     on_token=_streamer(b)),
                              what=f"generate {chain_name}")
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
            st.markdown(f"#### {md_text(d.title)}")  # the model's title: text, never a link
            st.caption(f"{chain_label(d.chain)} · {platform_label(d.platform)} · 草稿 {d.draft_id}")
            st.markdown(summary_line(d.report))
            problems = [f"数字「{n.text}」{VERDICT[n.verdict][1]}" for n in d.report.numbers
                        if n.verdict in UNBACKED_VERDICTS]
            problems += [f"「{c.text}」{LEVEL[c.level][1]}：{c.rule}" for c in d.report.compliance]
            problems += [s.problem for s in d.report.structure]
            problems = [md_text(x) for x in problems]  # quotes of the draft: text, never links
            if problems:
                with st.expander(f"检查报告：{len(problems)} 处要看"):
                    st.markdown("\n".join(f"- {x}" for x in problems))
            with st.container(border=True, height=360):
                st.text(d.text)
            if st.button("去审阅", key=f"review-{draft_id}", type="primary"):
                go("review", draft=draft_id)
