"""The app's pages: each file is a Streamlit page script (see ../main.py)."""
