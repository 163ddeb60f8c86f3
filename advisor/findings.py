"""A finding: one decision the advisor made, with its reason, the numbers behind it and AWS documentation."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Severity(StrEnum):
    """How loudly a finding speaks. DECISION: what to build. CONFLICT: a requirement cannot be met."""

    DECISION = "decision"
    ADVICE = "advice"
    WARNING = "warning"
    CONFLICT = "conflict"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9_]+)+$", description="Stable id, e.g. engine.valkey")
    severity: Severity
    title: str = Field(min_length=3)
    decision: str = Field(min_length=3, description="What to do, in one sentence")
    rationale: str = Field(min_length=3, description="Why, in plain words, naming the inputs")
    evidence: dict[str, str] = Field(default_factory=dict, description="The numbers behind it")
    docs: list[str] = Field(default_factory=list, description="AWS documentation links")
    monthly_saving_usd: float | None = Field(None, description="What acting on it would save per month")
    patterns: list[str] = Field(default_factory=list, description="Caching-pattern ids this finding recommends")

    @field_validator("docs")
    @classmethod
    def _https_only(cls, links: list[str]) -> list[str]:
        for link in links:
            if not link.startswith("https://"):
                raise ValueError(f"documentation link must be https: {link}")
        return links
