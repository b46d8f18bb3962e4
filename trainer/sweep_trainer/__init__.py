"""The sweep trainer: one Fashion-MNIST trial per process, events as JSON lines on stdout.

The contract with the worker is docs/trainer-protocol.md; `cli.main` is the entry point.
"""
