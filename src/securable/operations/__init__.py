"""Agency operations on IoT devices: the device register and maintenance that leaves evidence.

Pure and typed (no Django): the workspace stores what these functions return, and the tests can
walk every transition without a database. Each record names the Federal Profile seed-page Agency
actions (``FPN-SEED-...``) it carries out, so an auditor can trace a workflow to its source.
"""
