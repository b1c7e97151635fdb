"""Who is calling, and the rules of what each role may see."""

from __future__ import annotations

from dataclasses import dataclass

from storage.audit import Actor
from storage.models import Role, User


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
        )

    @property
    def actor(self) -> Actor:
        """This caller as the audit log names it."""
        return Actor(login=self.login, role=self.role.value, user_id=self.user_id)

    @property
    def sees_everything(self) -> bool:
        """Accounting, auditors and admins see every invoice; others only their own slice."""
        return self.role in (Role.ACCOUNTING, Role.AUDITOR, Role.ADMIN)
