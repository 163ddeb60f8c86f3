"""How old the bundled prices are, as a sentence the app can show. Pure: today is passed in."""

from __future__ import annotations

import datetime as dt

# AWS changes ElastiCache prices a few times a year (new node families, Valkey repricing); a quarter is
# long enough to be worth a prompt without nagging after every release.
STALE_AFTER_DAYS = 90


def staleness_warning(as_of: dt.date, today: dt.date, max_age_days: int = STALE_AFTER_DAYS) -> str | None:
    """A warning when the price tables' as-of date is more than `max_age_days` before today, else None."""
    age = (today - as_of).days
    if age <= max_age_days:
        return None
    return (
        f"The bundled prices are {age} days old (as of {as_of.isoformat()}). AWS may have changed them since: "
        "run `python -m advisor pricing refresh` with AWS credentials, or with --offer-file and a downloaded "
        "AmazonElastiCache offer file, to bring them up to date."
    )
