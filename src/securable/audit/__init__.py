"""The audit trail's hash chain, shared by the workspace (which writes it) and the CLI (which checks it)."""
