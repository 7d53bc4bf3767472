"""The jail layer (not yet available)."""

__all__ = []
