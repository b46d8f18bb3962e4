"""The sweep trainer: Fashion-MNIST trials (one per process, or many in a warm one), events as JSON
lines on stdout.

The contract with the worker is docs/trainer-protocol.md; `cli.main` is the entry point.
"""

# Bumped when a change alters what a config trains to (the recipe, the data, the evaluation); the
# leaderboard records it with every entry.
__version__ = "1.4.0"
