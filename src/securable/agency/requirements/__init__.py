"""From SP 800-53 controls to IoT device requirements: derivation, the Federal Profile links, the
report and the requirements as an OSCAL profile."""
