"""Vendors against an agency's requirements: reading the requirements profile and the vendors'
component definitions, the evaluation, its contract clauses and its reports."""
