"""ElastiCache Serverless: data stored (GB-hours, with the engine's minimum) plus ECPUs.

Billing rules (AWS pricing page, quoted in the facts file section 5):
- data stored is metered hourly with a minimum of 1 GB (Redis OSS, Memcached) or 100 MB (Valkey);
- reads and writes use 1 ECPU per KB transferred, at least 1 per request; commands needing more vCPU
  time use proportionally more. The two are not added: a request costs max(KB, vCPU multiple).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from advisor.costs.lines import CostEstimate, CostLine
from advisor.money import HOURS_PER_MONTH, SECONDS_PER_MONTH
from advisor.pricing.schema import ServerlessPrice
from advisor.workload import CommandComplexity, Workload

BYTES_PER_KB = 1024  # AWS counts "1 ECPU per kilobyte"; KiB is the conservative reading
# ASSUMPTION (AWS publishes no per-command table): vCPU-time multiple of a typical command.
COMPLEXITY_ECPU_MULTIPLE: dict[CommandComplexity, float] = {
    CommandComplexity.SIMPLE: 1.0,
    CommandComplexity.MODERATE: 2.0,
    CommandComplexity.COMPLEX: 4.0,
}
# Serverless ceilings (CacheUsageLimits): DataStorage max 5,000 GB; ECPUPerSecond max 15,000,000.
MAX_DATA_GB = 5000.0
MAX_ECPU_PER_SECOND = 15_000_000.0


def ecpu_per_request(payload_bytes: float, complexity: CommandComplexity) -> float:
    return max(1.0, payload_bytes / BYTES_PER_KB, COMPLEXITY_ECPU_MULTIPLE[complexity])


@dataclass(frozen=True)
class EcpuProfile:
    per_read: float
    per_write: float
    average_per_second: float
    peak_per_second: float

    @property
    def per_month(self) -> float:
        return self.average_per_second * float(SECONDS_PER_MONTH)


def ecpu_profile(workload: Workload, traffic_scale: float = 1.0) -> EcpuProfile:
    per_read = ecpu_per_request(workload.read_bytes, workload.command_complexity)
    per_write = ecpu_per_request(workload.write_bytes, workload.command_complexity)
    average = (workload.avg_reads_per_sec * per_read + workload.avg_writes_per_sec * per_write) * traffic_scale
    peak = (workload.peak_reads * per_read + workload.peak_writes * per_write) * traffic_scale
    return EcpuProfile(per_read, per_write, average, peak)


def serverless_cost(price: ServerlessPrice, stored_gb: float, ecpus_per_month: float) -> CostEstimate:
    billed_gb = max(Decimal(str(round(stored_gb, 6))), price.min_storage_gb)
    minimum_note = " (engine minimum applied)" if billed_gb == price.min_storage_gb else ""
    storage = CostLine(
        name=f"Serverless data stored ({price.engine})", unit="GB-hours",
        quantity=billed_gb * HOURS_PER_MONTH, unit_price=price.storage_usd_per_gb_hour, basis=price.basis,
        note=f"{billed_gb} GB x {HOURS_PER_MONTH} h{minimum_note}; {price.region}, source dated {price.source_date}",
    )
    ecpu = CostLine(
        name=f"Serverless ECPUs ({price.engine})", unit="million ECPUs",
        quantity=Decimal(str(round(ecpus_per_month / 1e6, 6))), unit_price=price.ecpu_usd_per_million,
        basis=price.basis, note="average ECPU/s x 2,628,000 s per month",
    )
    return CostEstimate(label="Serverless", lines=(storage, ecpu))


def serverless_hour_cost(price: ServerlessPrice, stored_gb: float, ecpus: float) -> Decimal:
    """One billed hour: the hour's average stored GB (with the minimum) plus that hour's ECPUs."""
    billed_gb = max(Decimal(str(round(stored_gb, 6))), price.min_storage_gb)
    return billed_gb * price.storage_usd_per_gb_hour + Decimal(str(ecpus)) / Decimal(10**6) * price.ecpu_usd_per_million
