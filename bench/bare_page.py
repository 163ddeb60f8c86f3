"""The baseline bench_ui.py measures the advisor against: a bare Streamlit page with one number input and one
line of text, driven exactly like the app (same label, same text marker, the input mirrored into the URL)."""

import streamlit as st

value = st.number_input("Average reads/s", value=60_000.0, step=1_000.0)
st.query_params["w"] = f"{value:g}"
st.markdown(f"**Recommendation:** {value:,.0f} reads/s")
