"""Streamlit glue for the advisor: session state, cached loaders, forms, tables and charts. No rules or prices here."""
