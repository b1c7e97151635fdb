"""Notifications: e-mails and signed webhook calls for what happens to invoices and accounts,
sent from the audit log (the outbox) by a worker, at least once, with retries and a log."""
