"""ipwriter's review app: ``streamlit run app.py`` (or ``ipwriter app``) in a workspace."""

from ipwriter.webapp.main import run

run()
