"""设置: the chat model (key masked, kept in memory or an env file the creator
chooses), a connection test with a Chinese verdict, and the profile editor."""

from __future__ import annotations

import streamlit as st

from ipwriter.config import mask_secret
from ipwriter.presets import PRESETS
from ipwriter.redact import redact, redact_url
from ipwriter.webapp.render import md_text
from ipwriter.webapp.state import guard, workspace

st.title("设置")
ws = guard(workspace, what="open workspace", release=False)
if ws is None:
    st.stop()

msg = st.session_state.pop("settings_msg", None)
if msg:
    st.success(msg)

# -- the model ---------------------------------------------------------------------------
st.subheader("模型")
current = ws.settings
# a password in the URL (user:pass@, ?key=) is never sent to the browser; kept if left as shown
shown_url = redact_url(current.base_url or "")
names = list(PRESETS)
with st.form("model"):
    # no widget here depends on another's value: a form's inputs must keep their identity
    provider = st.selectbox("服务商", names, index=names.index(current.provider), key="set_provider",
                            format_func=lambda n: f"{PRESETS[n].label}（{n}）")
    model = st.text_input("模型名（留空用服务商的默认模型）", value=current.model or "", key="set_model")
    base_url = st.text_input("接口地址 Base URL（留空用服务商的默认地址）", value=shown_url,
                             key="set_base_url")
    shown = mask_secret(current.api_key.get_secret_value()) if current.api_key else None
    key = st.text_input("API Key（只显示掩码；留空则沿用已设置的密钥或环境变量）", type="password",
                        key="set_key", placeholder=f"已设置：{shown}" if shown else "")
    applied = st.form_submit_button("应用（仅本次运行，密钥只在内存里）", type="primary")
with st.expander("各服务商的默认设置"):
    st.dataframe([{"服务商": n, "名称": p.label, "默认模型": p.default_model or "", "默认地址": p.base_url or "",
                   "密钥环境变量": p.key_env or "不需要"} for n, p in PRESETS.items()],
                 hide_index=True, width="stretch")
if applied:
    if base_url.strip() == shown_url and shown_url != (current.base_url or ""):
        base_url = current.base_url
    public = guard(lambda: ws.configure_model(provider, model, base_url, key or (
        current.api_key.get_secret_value() if current.api_key and provider == current.provider else None)),
        what="configure model", release=False)
    if public is not None:
        st.session_state["settings_msg"] = md_text(f"已切换到 {public['provider']}"
                                                   f"{' · ' + public['model'] if public['model'] else ''}")
        st.rerun()

st.caption(f"当前：{current.provider} · {md_text(current.model or '默认模型')} · "
           f"{md_text(shown_url or PRESETS[current.provider].base_url or '本机')} · "
           f"密钥 {mask_secret(current.api_key.get_secret_value()) if current.api_key else '（未在应用里设置）'}")

if st.button("测试连接"):
    with st.spinner("正在连接模型…"):
        result = guard(lambda: ws.test_connection(), what="test connection")  # one model call at a time
    if result is not None:
        ok, detail = result
        (st.success if ok else st.error)(("连接成功：" if ok else "连接失败：") + md_text(redact(detail)))

with st.expander("保存到配置文件（下次启动也生效）"):
    st.caption(f"写入工作区根目录的 .env（{md_text(str(ws.root / '.env'))}），启动时从这里读取设置")
    with_key = st.checkbox("同时保存 API Key（明文写入这个文件，请勿提交到 git）", key="env_with_key")
    if st.button("保存配置"):
        values = {"IPWRITER_PROVIDER": current.provider}
        if current.model:
            values["IPWRITER_MODEL"] = current.model
        if current.base_url:
            values["IPWRITER_BASE_URL"] = current.base_url
        if with_key and current.api_key:
            values["IPWRITER_API_KEY"] = current.api_key.get_secret_value()
        path = guard(lambda: ws.save_env(values), what="save env", release=False)
        if path is not None:
            st.success(md_text(f"已写入 {path}：{'、'.join(values)}"))

# -- the creator profile -------------------------------------------------------------------
st.subheader("创作者档案 profile.yaml")
st.caption("名字、标签、态度、产品阶梯……写作时都会用到。保存前会校验，旧文件自动备份到 .ipwriter/backups/。")
text = st.text_area("profile.yaml", value=ws.profile_text(), height=420, key="profile_text",
                    label_visibility="collapsed")
if st.button("校验并保存档案", type="primary"):
    saved = guard(lambda: ws.save_profile(text), what="save profile", release=False)
    if saved is not None:
        st.session_state["settings_msg"] = md_text(f"档案已保存：{saved.tagline}，"
                                                   f"{len(saved.products)} 个产品")
        st.rerun()
