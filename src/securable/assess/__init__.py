"""Assessment of a product description: coverage against baselines and profiles, and findings."""

# What a product is assessed against when no baseline or profile is named: by `securable check`,
# by the Python API and by the package's own assessment.
DEFAULT_BASELINES = ("nistir-8259a", "nistir-8259b")
