"""Fleet review: every cluster of an account judged from 14 days of 5-minute CloudWatch history.

Discovery and the CloudWatch targets come from `advisor.live`; this package adds the columnar metric
collection a 14-day, 5-minute window needs, the per-cluster statistics (percentiles, spike ratio, trend,
shard balance), the CPU x memory x network classification, configuration checks, one priced target per
cluster, and the fleet export. `example` holds a seeded fleet that runs with no AWS account.
"""
