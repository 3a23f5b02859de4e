"""The Streamlit review app: thin pages over the Workspace facade.

``app.py`` at the repository root (or ``main.py`` here) is the script
Streamlit runs; each page in ``views/`` only draws widgets and calls
Workspace methods.
"""
