"""The embedded default: a local AWS, a local API gateway and local Lambda runtimes."""
