"""The agency's side of the workspace: requirement sets, vendor packages and evaluations."""
