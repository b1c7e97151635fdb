"""Persistence: database models, repositories, migrations, the audit log and the object store."""
