"""Demo data for ``make run``: a few departments, suppliers and one user per role."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from service.accounting.service import checked_bank_account, set_bank_account
from service.accounts.service import add_user
from service.organisation.service import add_department, add_supplier
from service.routing.service import TRIAGE_CODE
from storage.audit import Actor
from storage.models import BankAccount, Role
from storage.repositories import organisation, users

DEMO_ACTOR = Actor(login="demo", role="admin")

DEPARTMENTS = (
    # code, name, two approvals from (JPY), construction works
    ("KYOIKU-01", "教育委員会 学校施設課", Decimal(1_000_000), False),
    ("DOBOKU-01", "建設局 道路課", Decimal(5_000_000), True),
    ("KENKO-01", "健康福祉局 保健所", Decimal(1_000_000), False),
)
SUPPLIERS = (
    # registration number, name, default department
    ("T7123456789012", "株式会社サンプル文具", "KYOIKU-01"),
    ("T9234567890123", "ミナト建設株式会社", "DOBOKU-01"),
)
BANK_ACCOUNTS = (
    # registration number, bank, branch, type, account number, holder (sample values)
    ("T7123456789012", "0001", "001", "1", "1234567", "ｶ)ｻﾝﾌﾟﾙﾌﾞﾝｸﾞ"),
    ("T9234567890123", "0005", "123", "2", "7654321", "ﾐﾅﾄｹﾝｾﾂ(ｶ"),
)
USERS = (
    # login, password, role, departments, supplier, display name
    ("admin", "admin-demo", Role.ADMIN, (), None, "システム管理者"),
    ("supplier", "supplier-demo", Role.SUPPLIER, (), "T7123456789012", "サンプル文具 経理担当"),
    ("clerk", "clerk-demo", Role.CLERK, ("KYOIKU-01",), None, "学校施設課 担当"),
    ("clerk2", "clerk2-demo", Role.CLERK, ("KYOIKU-01",), None, "学校施設課 係長"),
    # central accounting's clerk of the triage inbox (invoices no routing rule places)
    ("triage", "triage-demo", Role.CLERK, (TRIAGE_CODE,), None, "会計課 振分け担当"),
    ("accounting", "accounting-demo", Role.ACCOUNTING, (), None, "会計課"),
    ("auditor", "auditor-demo", Role.AUDITOR, (), None, "監査委員事務局"),
)


def load_demo(session: Session) -> int:
    """Create whatever demo record is missing; return how many were created."""
    created = 0
    for code, name, threshold, works in DEPARTMENTS:
        if organisation.department_by_code(session, code) is None:
            add_department(
                session,
                actor=DEMO_ACTOR,
                code=code,
                name=name,
                approval_threshold=threshold,
                works=works,
            )
            created += 1
    for number, name, department in SUPPLIERS:
        if organisation.supplier_by_registration(session, number) is None:
            add_supplier(
                session,
                actor=DEMO_ACTOR,
                registration_number=number,
                name=name,
                default_department_code=department,
            )
            created += 1
    for number, bank, branch, kind, account, holder in BANK_ACCOUNTS:
        supplier_row = organisation.supplier_by_registration(session, number)
        if supplier_row is not None and supplier_row.account_number is None:
            set_bank_account(
                session,
                actor=DEMO_ACTOR,
                registration_number=number,
                account=checked_bank_account(BankAccount(bank, branch, kind, account, holder)),
            )
            created += 1
    for login, password, role, departments, supplier, display in USERS:
        if users.user_by_login(session, login) is None:
            add_user(
                session,
                actor=DEMO_ACTOR,
                login=login,
                role=role,
                department_codes=list(departments),
                supplier_registration=supplier,
                password=password,
                display_name=display,
            )
            created += 1
    return created


def demo_logins() -> list[tuple[str, str, str]]:
    """(login, password, role) for the start-up banner."""
    return [(login, password, role.value) for login, password, role, *_ in USERS]
