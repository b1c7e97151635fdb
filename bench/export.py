"""Export benchmark: a batch of 100,000 approved invoices from 20,000 creditors.

Times creating the batch (the guarded UPDATE, the batch items, the audit event) and producing
each export format (JSON, CSV, Zengin) straight through the services, without HTTP.

    .venv/bin/python bench/export.py                        # SQLite in a temporary directory
    .venv/bin/python bench/export.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres
    .venv/bin/python bench/export.py --invoices 10000 --creditors 2000

Target: the Zengin file in at most 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


from service import clock  # noqa: E402
from service.accounting import exports, service  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.audit import Actor  # noqa: E402
from storage.db import create_db_engine, session_factory, transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.conftest import _create_postgres_database  # noqa: E402
from tests.reliability.seed import seed_approved  # noqa: E402

ACTOR = Actor(login="bench", role="accounting")
ZENGIN = {
    "zengin_requester_code": "1234567890",
    "zengin_requester_name": "ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶ",
    "zengin_bank_code": "0001",
    "zengin_branch_code": "001",
    "zengin_account_type": "1",
    "zengin_account_number": "7654321",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server")
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--creditors", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = _create_postgres_database(args.postgres) if args.postgres else f"sqlite:///{tmp}/b.db"
        upgrade(url)
        engine = create_db_engine(url)
        sessions = session_factory(engine)
        started = time.perf_counter()
        seed_approved(sessions, args.invoices, args.creditors)
        print(
            f"seeded {args.invoices:,} approved invoices from {args.creditors:,} creditors "
            f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
        )
        settings = Settings(database_url=url, storage_url=f"file:{tmp}/o", **ZENGIN)

        started = time.perf_counter()
        with transaction(sessions) as session:
            created = service.create_batch(
                session, actor=ACTOR, payment_date=clock.today() + dt.timedelta(days=2)
            )
            batch_id = created.batch.id
        print(
            f"create batch ({len(created.invoice_ids):,} invoices): "
            f"{time.perf_counter() - started:.2f} s"
        )

        for name in ("zengin", "csv", "json"):
            started = time.perf_counter()
            with sessions() as session:
                batch = exports.repo.by_id(session, batch_id)
                assert batch is not None
                if name == "zengin":
                    size = len(exports.batch_zengin(session, batch, settings))
                else:
                    render = exports.batch_csv if name == "csv" else exports.batch_json
                    size = sum(len(chunk.encode()) for chunk in render(session, batch))
            print(f"export {name:<6} {size / 1e6:7.1f} MB: {time.perf_counter() - started:.2f} s")
        engine.dispose()


if __name__ == "__main__":
    main()
