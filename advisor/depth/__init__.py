"""Decision depth: what would change the answer, when the design stops fitting, headroom for failure,
what to commit to, whether to leave Redis OSS, and what durability costs. Pure functions over a
Recommendation and the price book; the pages, the CLI and the reports render what they return."""
