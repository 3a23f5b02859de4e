"""The script ``ipwriter app`` hands to ``streamlit run``."""

from ipwriter.webapp.main import run

run()
