"""Who is calling, and the rules of what each role may see."""

from __future__ import annotations

from dataclasses import dataclass

from storage.audit import Actor
from storage.models import Role, User
from storage.repositories.invoices import Scope
from storage.repositories.users import Identity


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, detached from the database session."""

    user_id: int
    login: str
    role: Role
    supplier_id: int | None
    department_ids: frozenset[int]
    department_codes: tuple[str, ...]
    display_name: str | None = None
    supplier_approved: bool = False
    """For supplier users: an admin approved the company's sign-up, so it may submit."""
    supplier_rejected: bool = False
    """For supplier users: an admin rejected the sign-up (the reason is on the account page)."""

    @classmethod
    def of(cls, user: User) -> Principal:
        """Snapshot a user row."""
        return cls(
            user_id=user.id,
            login=user.login,
            role=Role(user.role),
            supplier_id=user.supplier_id,
            department_ids=frozenset(d.id for d in user.departments),
            department_codes=tuple(d.code for d in user.departments),
            display_name=user.display_name,
            supplier_approved=user.supplier is not None and user.supplier.approved,
            supplier_rejected=user.supplier is not None and user.supplier.rejected_at is not None,
        )

    @classmethod
    def of_identity(cls, identity: Identity) -> Principal:
        """From the per-request identity lookup."""
        return cls(
            user_id=identity.user_id,
            login=identity.login,
            role=Role(identity.role),
            supplier_id=identity.supplier_id,
            department_ids=frozenset(d for d, _ in identity.departments),
            department_codes=tuple(code for _, code in identity.departments),
            display_name=identity.display_name,
            supplier_approved=identity.supplier_approved,
            supplier_rejected=identity.supplier_rejected,
        )

    @property
    def actor(self) -> Actor:
        """This caller as the audit log names it."""
        return Actor(login=self.login, role=self.role.value, user_id=self.user_id)

    @property
    def sees_everything(self) -> bool:
        """Accounting, auditors and admins see every invoice; others only their own slice."""
        return self.role in (Role.ACCOUNTING, Role.AUDITOR, Role.ADMIN)

    @property
    def scope(self) -> Scope:
        """The invoices this caller may see: the filter every query applies."""
        if self.sees_everything:
            return Scope(everything=True)
        if self.role is Role.SUPPLIER:
            return Scope(supplier_id=self.supplier_id)
        if self.role is Role.CLERK:
            return Scope(department_ids=self.department_ids)
        return Scope()
