"""Errors the user must act on; their message says what to do."""

from __future__ import annotations


class ShipError(Exception):
    """A build or deploy step failed in a way the user can fix."""
