"""Plain-text and Markdown renderings of a recommendation for the command line."""
