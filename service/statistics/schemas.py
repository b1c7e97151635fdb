"""The monthly statistics as the API answers them (and the page and the open data read them)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Share(BaseModel):
    """A part of a whole: ``part`` of ``whole``, and the share (None when the whole is 0)."""

    part: int
    whole: int
    share: float | None = Field(description="part / whole, 0 to 1, rounded to 4 places")


class Count(BaseModel):
    """Invoices in one category of a breakdown."""

    key: str = Field(description="the category: a channel, format/profile, department code…")
    invoices: int


class LeadTime(BaseModel):
    """One step's duration over the invoices whose step ended in the month (the time spent
    returned: over the invoices returned in the month and corrected since).

    Percentiles are nearest-rank (the value at rank ceil(p·n/100) in ascending order), in days
    with one decimal.
    """

    measure: str
    count: int
    median_days: float | None
    p90_days: float | None


class RefusalRule(BaseModel):
    """A rule that refused invoices at intake, with one of its messages."""

    rule_id: str
    invoices: int
    message_ja: str
    message_en: str


class Volume(BaseModel):
    """What came in: every invoice received in the month (refused ones included)."""

    received: int
    by_channel: list[Count] = Field(
        description="api, page, web_form, peppol, email, bulk; unrecorded for invoices received "
        "before juryo recorded the channel"
    )
    by_format: list[Count] = Field(description="format/profile, e.g. ubl-invoice/jp-pint")
    by_department: list[Count] = Field(description="accepted invoices, by department code")
    structured: Share = Field(
        description="structured invoices of all received (the rest are plain PDFs, or Factur-X "
        "MINIMUM / BASIC WL, which need data entry)"
    )


class Acceptance(BaseModel):
    """Refusals at intake, and how suppliers corrected."""

    refused: Share = Field(description="refused at intake, of all received")
    top_rules: list[RefusalRule]
    corrected: Share = Field(
        description="invoices returned in the month that a correction has replaced"
    )
    resent: Share = Field(
        description="refused invoices (with a number) the same supplier later sent accepted, "
        "with the same invoice number"
    )


class DepartmentPayment(BaseModel):
    """One department's payments in the month against the statutory deadline."""

    department: str
    paid: int
    on_time: Share


class Payment(BaseModel):
    """The payment law (支払遅延防止法): punctuality in the month, and what is at risk now."""

    on_time: Share = Field(description="paid in the month on or before the statutory deadline")
    by_department: list[DepartmentPayment]
    paid_late: int = Field(description="paid in the month after the statutory deadline")
    overdue_days_median: int | None = Field(description="days past the deadline, of those")
    overdue_days_p90: int | None
    overdue_now: int = Field(description="unpaid invoices past their deadline today (Tokyo)")
    at_risk_now: int = Field(description="unpaid invoices whose deadline is within 7 days")


class DepartmentWorkload(BaseModel):
    """One department's month, with its clerks as a number only."""

    department: str
    received: int
    decided: int
    clerks: int
    invoices_per_clerk: float | None


class Workload(BaseModel):
    """Aggregates only: per department and as a distribution over clerks; no named staff."""

    by_department: list[DepartmentWorkload]
    clerks_approving: int = Field(description="clerks who gave at least one approval")
    approvals_per_clerk_median: int | None
    approvals_per_clerk_p90: int | None
    routing: list[Count] = Field(
        description="accepted invoices by the rule that placed them where they are: "
        "buyer_reference, purchase_order, supplier_default, triage (still in central "
        "accounting's inbox), forwarded (moved by a clerk or administrator)"
    )


class Statistics(BaseModel):
    """One month's figures, in the caller's scope (a clerk's: its departments')."""

    month: str = Field(description="YYYY-MM, Tokyo's month")
    department: str | None
    volume: Volume
    acceptance: Acceptance
    lead_times: list[LeadTime]
    payment: Payment
    workload: Workload
