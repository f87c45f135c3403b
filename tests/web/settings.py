"""Settings of the web tests: the workspace's own, with a fixed secret and a fast password hash.

The database comes from SECURABLE_DB_* as in production: SQLite (in memory) unless
``tools/pgtest.sh`` points the run at a throw-away PostgreSQL cluster.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECURABLE_WEB_SECRET_KEY", "tests-only-" + "k" * 50)
# Never created: the secret is given and test databases are made by the test runner.
os.environ.setdefault("SECURABLE_WEB_DATA", os.path.join(tempfile.gettempdir(), "securable-web-tests"))

from securable.web.settings import *  # noqa: F403

# Argon2 stays the production hasher (settings.py); tests make many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
