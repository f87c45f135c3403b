"""The audit log: append-only events, hash-chained per organization (``securable.audit.chain``)."""
