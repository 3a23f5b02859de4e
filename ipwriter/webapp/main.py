"""The app's entry: page config, the five pages, and the sidebar."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "views"  # not "pages/": Streamlit would list that folder itself
# (file, title, icon, url path)
PAGE_LIST = (
    ("knowledge.py", "知识库", ":material/library_books:", "knowledge"),
    ("write.py", "写作", ":material/edit_note:", "write"),
    ("review.py", "审阅", ":material/fact_check:", "review"),
    ("history.py", "历史", ":material/history:", "history"),
    ("settings.py", "设置", ":material/settings:", "settings"),
)


def pages() -> dict[str, st.Page]:
    return {url: st.Page(PAGES / file, title=title, icon=icon, url_path=url,
                         default=(url == "knowledge"))
            for file, title, icon, url in PAGE_LIST}


def run() -> None:
    st.set_page_config(page_title="ipwriter · 知识IP写作台", page_icon="✍️", layout="wide")
    registry = pages()
    st.session_state["_pages"] = registry
    nav = st.navigation(list(registry.values()))
    from ipwriter.webapp.state import sidebar

    sidebar()
    nav.run()
