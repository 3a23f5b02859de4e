"""历史: drafts filtered by status, chain, platform and date; reopen any version; its
record (approvals, and an override's reason)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from ipwriter.labels import EVENT_LABELS
from ipwriter.labels import STATUS_LABELS as STATUS
from ipwriter.platforms import PLATFORM_LABELS
from ipwriter.webapp.brief import plan_line
from ipwriter.webapp.render import md_text
from ipwriter.webapp.state import go, guard, workspace
from ipwriter.write.chains import CHAINS as REGISTRY
from ipwriter.write.chains import chain_label

CHAINS = {name: chain_label(name) for name in REGISTRY}

st.title("历史")
ws = guard(workspace, what="open workspace", release=False)
if ws is None:
    st.stop()

c1, c2, c3, c4 = st.columns(4)
status = c1.selectbox("状态", [None, *STATUS], format_func=lambda s: STATUS.get(s, "全部"),
                      key="h_status", persist_state="session")
chain = c2.selectbox("类型", [None, *CHAINS], format_func=lambda s: CHAINS.get(s, "全部"),
                     key="h_chain", persist_state="session")
platform = c3.selectbox("平台", [None, *PLATFORM_LABELS],
                        format_func=lambda s: PLATFORM_LABELS.get(s, "全部"), key="h_platform",
                        persist_state="session")
days = c4.date_input("创建日期", value=(), key="h_dates", persist_state="session")
LIMIT = 1000


def _browser_zone():
    """The browser's time zone (None: the server's, if the browser did not say)."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(st.context.timezone) if st.context.timezone else None
    except Exception:  # noqa: BLE001 - an unknown zone name: fall back to the server's
        return None


ZONE = _browser_zone()  # once per run, not once per row


def _utc(d: date) -> str:
    zone = ZONE
    local = datetime.combine(d, time.min, tzinfo=zone) if zone else \
        datetime.combine(d, time.min).astimezone()
    return local.astimezone(UTC).isoformat(timespec="milliseconds")


def _shown(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


since = until = None
if isinstance(days, (tuple, list)) and days:
    since = _utc(days[0])
    until = _utc((days[1] if len(days) > 1 else days[0]) + timedelta(days=1))
elif isinstance(days, date):
    since, until = _utc(days), _utc(days + timedelta(days=1))

rows = guard(lambda: ws.list_drafts(status=status, chain=chain, platform=platform, since=since,
                                    until=until, limit=LIMIT), release=False) or []
st.caption(f"共 {len(rows)} 篇" + (f"（只显示最近更新的 {LIMIT} 篇，请缩小筛选范围）"
                                   if len(rows) >= LIMIT else ""))
if not rows:
    st.info("没有符合条件的草稿。")
    st.stop()

table = [{"草稿": r.draft_id, "标题": r.title, "类型": CHAINS.get(r.chain, r.chain),
          "平台": PLATFORM_LABELS.get(r.platform or "", ""), "状态": STATUS.get(r.status, r.status),
          "版本数": r.versions, "检查": "通过" if r.ok else "需修改",
          "创建时间": _shown(r.created_at), "更新时间": _shown(r.updated_at)}
         for r in rows]
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("打开一篇")
pick = st.selectbox("草稿", [r.draft_id for r in rows], key="h_pick",
                    format_func=lambda i: next(f"{r.title}（{i}）" for r in rows if r.draft_id == i))
versions = guard(lambda: ws.draft_versions(pick), release=False) or []
nums = [v["version"] for v in versions]
ver = st.selectbox("版本", nums, index=len(nums) - 1,
                   format_func=lambda n: next(f"第 {v['version']} 版 · {v['created_at'][:16].replace('T', ' ')}"
                                              f" · {'我改的' if v['author'] == 'user' else '模型'} {v['note']}"
                                              for v in versions if v["version"] == n),
                   key=f"h_ver-{pick}") if nums else None
if ver is not None:
    d = guard(lambda: ws.draft(pick, ver), release=False)
    if d is not None:
        if plan_line(d.run.details):
            st.caption(plan_line(d.run.details))
        with st.container(border=True, height=240):
            st.text(d.text)
    for e in guard(lambda: ws.draft_events(pick), release=False) or []:
        line = f"{_shown(e['at'])} · {EVENT_LABELS.get(e['event'], e['event'])} {md_text(e['detail'])}"
        (st.warning if e["detail"].startswith("强制通过") else st.caption)(line)
    if st.button("在审阅页打开", type="primary"):
        go("review", draft=pick, **({"v": str(ver)} if ver != nums[-1] else {}))
