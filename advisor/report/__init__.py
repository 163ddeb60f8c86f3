"""Exported recommendation reports: one report model (model.py) rendered as Markdown, HTML, PDF or JSON."""
