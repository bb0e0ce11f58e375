"""Metrics definitions and their exposition."""
