"""Assessment of a product description: coverage against baselines and profiles, and findings."""
