"""``python -m securable.assess.rules > docs/rules.md`` writes the rule documentation."""

import sys

from securable.assess.rules import rules_markdown

sys.stdout.write(rules_markdown())
