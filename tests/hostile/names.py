"""Hostile workload names: each is a valid name (it has a letter or digit and no secret), built to break
whatever it is pasted into: CloudFormation's Fn::Sub, Terraform interpolation, shells, Markdown, HTML, the
AWS CLI's file:// parameter loading, tag character rules, and the screen (NUL, bidi overrides)."""

from __future__ import annotations

HOSTILE_NAMES: tuple[str, ...] = (
    "a${AWS::Region}b",
    "tf %{ if true }x%{ endif } ${var.x}",
    "nul\x00byte",
    "rtl \u202eevil\u202c override",
    "isolate \u2066x\u2069 and mark \u200f",
    "tab\there\nnew line\r\n",
    "<b>&amp;</b> <img src=x onerror=alert(1)>",
    "[link](https://evil.example/a) ![img](https://evil.example/i.png)",
    "emoji 🚀 cache",
    "é ü ñ 中文 naïve",
    "quote\"'` $(id) ;rm -rf /; |cat",
    "file:///etc/passwd",
    "https://evil.example/x",
    "x{}[]()!#%^&*;,?|\\~",
    "--replication-group-id other",
    "a" * 120,
    "中文",
)
