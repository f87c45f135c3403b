"""Products and their versions: product descriptions (``securable.yaml``) kept byte for byte."""
