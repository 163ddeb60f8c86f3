"""Live sources: a running ElastiCache fleet (boto3) and a running Redis OSS / Valkey server (redis-py).

Every entry point takes its client as an argument and returns typed, immutable models; nothing here creates
global clients or imports the UI.
"""
