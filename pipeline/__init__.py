"""kner: Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news, with exact offsets."""

__version__ = "0.3.0"

# Notebook helpers, imported on first use so that `import kner` stays fast (pandas/spaCy load lazily).
# render lives in display.py: a submodule named render would replace the function on the package once imported.
_LAZY = {"load_annotations": "frames", "load_documents": "frames", "render": "display"}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    """Import `load_annotations`, `load_documents` and `render` from their modules when first asked for."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
