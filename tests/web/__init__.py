"""The workspace (Django) tests; run again on PostgreSQL by tools/pgtest.sh."""
