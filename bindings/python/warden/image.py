"""The image layer (not yet available)."""

__all__ = []
