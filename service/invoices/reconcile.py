"""Finding originals that no row claims (an upload that failed after the object was stored).

An object is an orphan when no recorded original points to it and it is older than a grace
period (an upload in flight has stored its object but not yet committed its row). Objects
under retention cannot be removed before it ends; they are reported as locked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from storage.models import utcnow
from storage.objects import ListedObject, ObjectLocked, ObjectStore
from storage.repositories import invoices as repo

BATCH = 500


@dataclass
class Reconciliation:
    """What a reconciler run saw and did."""

    scanned: int = 0
    referenced: int = 0
    too_young: int = 0
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)


def reconcile(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    *,
    grace: dt.timedelta,
    remove: bool,
) -> Reconciliation:
    """List (and with ``remove``, delete) the store's objects that no row references."""
    report = Reconciliation()
    cutoff = utcnow() - grace
    batch: list[ListedObject] = []
    for listed in store.listing():
        batch.append(listed)
        if len(batch) == BATCH:
            _settle(sessions, store, batch, cutoff, remove, report)
            batch = []
    _settle(sessions, store, batch, cutoff, remove, report)
    return report


def _settle(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    batch: list[ListedObject],
    cutoff: dt.datetime,
    remove: bool,
    report: Reconciliation,
) -> None:
    if not batch:
        return
    report.scanned += len(batch)
    with sessions() as session:
        claimed = repo.referenced_object_keys(session, [listed.key for listed in batch])
    for listed in batch:
        if listed.key in claimed:
            report.referenced += 1
        elif listed.modified > cutoff:
            report.too_young += 1
        else:
            report.orphans.append(listed.key)
            if remove:
                try:
                    store.delete(listed.key)
                except ObjectLocked:
                    report.locked.append(listed.key)
                else:
                    report.removed.append(listed.key)
