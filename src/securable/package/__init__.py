"""The customer package: documents, a fact sheet and machine-readable files made from one product
description, with a signed manifest (NISTIR 8259 activities 5 and 6)."""
