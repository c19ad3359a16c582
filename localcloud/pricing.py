"""What the function would cost on AWS, from the REPORT lines of its local invocations.

The prices are AWS's published on-demand prices for us-east-1 (without the free tier),
in one table with the date they were read. Check them before relying on the result:
https://aws.amazon.com/lambda/pricing/ and https://aws.amazon.com/api-gateway/pricing/
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from localcloud.reports import Report


@dataclass(frozen=True)
class Prices:
    """USD, us-east-1, on demand, first pricing tier, as published on `date`."""

    date: str
    lambda_gb_second: dict[str, float]  # compute, by architecture
    lambda_per_million_requests: float
    http_api_per_million_requests: float  # the first 300 million requests a month


PRICES = Prices(
    date="2025-06-01",
    lambda_gb_second={"x86_64": 0.0000166667, "arm64": 0.0000133334},
    lambda_per_million_requests=0.20,
    http_api_per_million_requests=1.00,
)
MILLION = 1_000_000


@dataclass(frozen=True)
class Estimate:
    """The cost of a million requests like the ones measured."""

    invocations: int
    cold_starts: int
    average_billed_ms: float
    memory_size_mb: int
    architecture: str
    compute: float
    lambda_requests: float
    http_api_requests: float

    @property
    def total(self) -> float:
        return self.compute + self.lambda_requests + self.http_api_requests

    def describe(self) -> str:
        return "\n".join(
            [
                f"{self.invocations} invocations ({self.cold_starts} cold), average billed "
                f"{self.average_billed_ms:.1f} ms at {self.memory_size_mb} MB on "
                f"{self.architecture}",
                f"per million requests (USD, us-east-1 prices of {PRICES.date}, no free tier):",
                f"  Lambda compute   {self.compute:10.4f}",
                f"  Lambda requests  {self.lambda_requests:10.4f}",
                f"  HTTP API         {self.http_api_requests:10.4f}",
                f"  total            {self.total:10.4f}",
            ]
        )


def estimate(reports: Iterable[Report], architecture: str) -> Estimate | None:
    """Cost per million requests at the average billed duration and memory of `reports`;
    None without any."""
    measured = list(reports)
    if not measured:
        return None
    billed = sum(r.billed_ms for r in measured) / len(measured)
    memory = measured[-1].memory_size_mb  # the current configuration's
    gb_seconds = billed / 1000 * memory / 1024
    return Estimate(
        invocations=len(measured),
        cold_starts=sum(r.init_ms is not None for r in measured),
        average_billed_ms=billed,
        memory_size_mb=memory,
        architecture=architecture,
        compute=MILLION * gb_seconds * PRICES.lambda_gb_second[architecture],
        lambda_requests=PRICES.lambda_per_million_requests,
        http_api_requests=PRICES.http_api_per_million_requests,
    )
