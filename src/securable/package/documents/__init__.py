"""The customer documents of a package: full and plain guides, the fact sheet and the index page,
from the answers of the product description, as HTML (Jinja2) and PDF."""
