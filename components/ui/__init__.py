"""The Streamlit pages (the only package that imports streamlit)."""
