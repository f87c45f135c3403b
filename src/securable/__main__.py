"""``python -m securable``: the command-line shell, as the ``securable`` script."""

from securable import cli

cli.run()
