"""ElastiCache Serverless: data stored (GB-hours, with the engine's minimum) plus ECPUs.

Billing rules (AWS pricing page, quoted in the facts file section 5):
- data stored is metered hourly with a minimum of 1 GB (Redis OSS, Memcached) or 100 MB (Valkey);
- reads and writes use 1 ECPU per KB transferred, at least 1 per request; commands needing more vCPU
  time use proportionally more. The two are not added: a request costs max(KB, vCPU multiple).
  AWS's examples: a GET transferring 3.2 KB uses 3.2 ECPUs; a SORT taking 3x the vCPU time of a simple
  GET/SET and transferring 2 KB uses 3 ECPUs.
- A multi-key read (MGET, Memcached multiget) is one request whose KB are every returned value together.
- A mix of command kinds costs the share-weighted average of each kind's max(KB, vCPU multiple).

KB: AWS does not say whether its kilobyte is 1,000 or 1,024 bytes. The advisor counts 1 KB = 1,024 bytes
(BYTES_PER_KB); reading it as 1,000 bytes would count up to 2.4% more ECPUs for requests above 1 KB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from advisor.costs.lines import CostEstimate, CostLine
from advisor.money import HOURS_PER_MONTH, SECONDS_PER_MONTH
from advisor.pricing.schema import ServerlessPrice
from advisor.wording import ENGINE_LABELS
from advisor.workload import CommandComplexity, Workload

BYTES_PER_KB = 1024  # "1 ECPU per kilobyte": counted as 1,024 bytes (see the module note)
# ASSUMPTION (AWS publishes no per-command table): vCPU-time multiple of a typical command.
COMPLEXITY_ECPU_MULTIPLE: dict[CommandComplexity, float] = {
    CommandComplexity.SIMPLE: 1.0,
    CommandComplexity.MODERATE: 2.0,
    CommandComplexity.COMPLEX: 4.0,
}
# Serverless ceilings (CacheUsageLimits): DataStorage max 5,000 GB; ECPUPerSecond max 15,000,000.
MAX_DATA_GB = 5000.0
MAX_ECPU_PER_SECOND = 15_000_000.0


def ecpu_per_request(payload_bytes: float, complexity: CommandComplexity | float) -> float:
    """max(1, KB transferred, vCPU multiple); `complexity` is a named kind or the multiple itself."""
    multiple = complexity if isinstance(complexity, int | float) else COMPLEXITY_ECPU_MULTIPLE[complexity]
    return max(1.0, payload_bytes / BYTES_PER_KB, float(multiple))


def _per_request(workload: Workload, payload_bytes: int) -> float:
    """ECPUs for one read or write of `payload_bytes`, from the mix if given, else the single multiple."""
    if workload.command_mix:
        return sum(kind.share_percent / 100 * ecpu_per_request(
            payload_bytes if kind.bytes_per_request is None else kind.bytes_per_request, kind.vcpu_multiple)
            for kind in workload.command_mix)
    multiple = workload.vcpu_multiple if workload.vcpu_multiple is not None else workload.command_complexity
    return ecpu_per_request(payload_bytes, multiple)


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
    per_read = _per_request(workload, workload.read_bytes)
    per_write = _per_request(workload, workload.write_bytes)
    average = (workload.avg_reads_per_sec * per_read + workload.avg_writes_per_sec * per_write) * traffic_scale
    peak = (workload.peak_reads * per_read + workload.peak_writes * per_write) * traffic_scale
    return EcpuProfile(per_read, per_write, average, peak)


def stored_gb_by_month(current_gb: float, monthly_growth_percent: float, horizon_months: int) -> list[float]:
    """Data stored in each month of the horizon: month 1 holds today's dataset, then it grows each month."""
    months = max(1, horizon_months)
    return [current_gb * (1 + monthly_growth_percent / 100) ** month for month in range(months)]


def _billed_gb(price: ServerlessPrice, stored_gb: float) -> Decimal:
    return max(Decimal(str(round(stored_gb, 6))), price.min_storage_gb)


def serverless_cost(price: ServerlessPrice, stored_gb: float | Sequence[float], ecpus_per_month: float) -> CostEstimate:
    """A month of Serverless. Given the data stored in each month of the horizon, storage is billed on what is
    stored each month and the monthly figure is the horizon average (the note gives month 1 beside it).

    AWS bills data stored in GB-hours (the pricing page's "per GB-hour"); the dataset is in GB (10^9 bytes).
    """
    months = [stored_gb] if isinstance(stored_gb, (int, float)) else list(stored_gb)
    billed = [_billed_gb(price, gb) for gb in months]
    average = (sum(billed, Decimal(0)) / len(billed)).quantize(Decimal("0.000001"))
    minimum_note = " (engine minimum applied)" if billed[0] == price.min_storage_gb else ""
    rate = price.storage_usd_per_gb_hour
    if len(billed) == 1:
        where = f"{average} GB x {HOURS_PER_MONTH} h{minimum_note}"
    else:
        first = billed[0] * HOURS_PER_MONTH * rate
        where = (f"GB-hours as AWS bills them: month 1 {billed[0]:,.2f} GB (today's dataset{minimum_note}) = "
                 f"${first:,.2f}/month; month {len(billed)} {billed[-1]:,.2f} GB; horizon average "
                 f"{average:,.2f} GB x {HOURS_PER_MONTH} h = ${average * HOURS_PER_MONTH * rate:,.2f}/month")
    storage = CostLine(
        name=f"Serverless data stored ({ENGINE_LABELS[price.engine]})", unit="GB-hours",
        quantity=average * HOURS_PER_MONTH, unit_price=rate, basis=price.basis,
        note=f"{where}; {price.region}, source dated {price.source_date}",
    )
    ecpu = CostLine(
        name=f"Serverless ECPUs ({ENGINE_LABELS[price.engine]})", unit="million ECPUs",
        quantity=Decimal(str(round(ecpus_per_month / 1e6, 6))), unit_price=price.ecpu_usd_per_million,
        basis=price.basis, note="average ECPU/s x 2,628,000 s per month",
    )
    return CostEstimate(label="Serverless", lines=(storage, ecpu))


def serverless_hour_cost(price: ServerlessPrice, stored_gb: float, ecpus: float) -> Decimal:
    """One billed hour: the hour's average stored GB (with the minimum) plus that hour's ECPUs."""
    billed_gb = max(Decimal(str(round(stored_gb, 6))), price.min_storage_gb)
    return billed_gb * price.storage_usd_per_gb_hour + Decimal(str(ecpus)) / Decimal(10**6) * price.ecpu_usd_per_million
