"""Runnable examples of zenoti-async in services; each one is exercised by tests/examples/."""
