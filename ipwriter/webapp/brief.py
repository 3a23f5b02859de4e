"""The 写作 page's 先看素材 step: a chain's brief, and the creator's picks from it.

Everything shown comes from the notes, so it is shown as text (Markdown
escaped): a note can neither render a link nor break the page.
"""

from __future__ import annotations

import streamlit as st

from ipwriter.webapp.render import md_text
from ipwriter.write.brief import Brief, Plan


def show_brief(brief: Brief, key: str) -> Plan:
    """Show the brief; return the plan the creator picked (stance, title, cases)."""
    st.subheader("素材提纲")
    st.caption("全部来自你的笔记和档案，没有调用模型。挑好立场和标题，草稿会照着写。")
    if brief.missing:
        st.warning(md_text(brief.missing) + "\n\n" + "\n".join(f"- {md_text(s)}" for s in brief.suggestions))
    for case in brief.cases:
        with st.expander(f"案例：{md_text(case.title)}", expanded=case is brief.cases[0]):
            st.caption(md_text(case.source))
            for f in case.facts:
                st.markdown(f"**{md_text(f.text)}**（{f.kind}）——「{md_text(f.quote)}」")
    stance = title = ""
    if brief.stances:
        texts = [s.text for s in brief.stances]
        stance = st.radio("立场", texts, format_func=md_text, key=f"{key}_stance") or texts[0]
    if brief.titles:
        texts = [t.text for t in brief.titles]
        title = st.radio("标题", texts, format_func=md_text, key=f"{key}_title") or texts[0]
    sources = [c.source for c in brief.cases]
    cases = (st.multiselect("用这些案例写", sources, default=brief.plan.cases, key=f"{key}_cases")
             if brief.chain == "post" and sources else brief.plan.cases)
    with st.expander("提纲", expanded=True):
        for s in brief.outline:
            minutes = f"（{s.minutes}分钟）" if s.minutes else ""
            lines = [f"**{md_text(s.name)}**{minutes}：{md_text(s.guide)}"]
            lines += [f"- {md_text(f.text)}：「{md_text(f.quote)}」" for f in s.facts]
            lines += [f"- {md_text(x)}" for x in s.lines]
            st.markdown("\n".join(lines))
    if brief.ctas:
        st.caption("这个平台允许的行动号召：" + md_text("、".join(brief.ctas)))
    for t in brief.traps:
        st.info(f"合规提醒 · {md_text(t.text)}：{md_text(t.advice)}（{md_text(t.rule)}）")
    return Plan(stance=stance, title=title, cases=cases, outline=brief.plan.outline)


def plan_line(details: dict) -> str:
    """The plan a draft version was written to, in one line ("" if none was recorded)."""
    plan = details.get("brief") if isinstance(details, dict) else None
    if not isinstance(plan, dict):
        return ""
    parts = [f"{label}「{md_text(str(plan[k]))}」" for k, label in (("title", "标题"), ("stance", "立场"))
             if plan.get(k)]
    return "按素材提纲写：" + "；".join(parts) if parts else ""
