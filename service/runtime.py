"""What a running app holds: settings, database and object store, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from service.validator import Validator, shared_validator
from storage.db import create_db_engine, read_only, session_factory
from storage.objects import ObjectStore, open_object_store


@dataclass(frozen=True, slots=True)
class Runtime:
    """The process's connections; stateless apart from pools, so workers can scale out."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    """For transactions that only read (on SQLite: without taking the write lock)."""
    store: ObjectStore
    validator: Validator

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        """Connect lazily: nothing is contacted until first use (``/readyz`` checks)."""
        engine = create_db_engine(
            settings.database_url, lock_timeout=settings.database_lock_timeout_seconds
        )
        store = open_object_store(
            settings.storage_url,
            endpoint_url=settings.s3_endpoint_url,
            retention_years=settings.retention_years,
        )
        return cls(
            settings,
            engine,
            session_factory(engine),
            session_factory(read_only(engine)),
            store,
            shared_validator(settings.validation_processes, settings.validation_timeout_seconds),
        )

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()
