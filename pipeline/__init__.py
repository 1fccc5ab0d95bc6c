"""kner: Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news, with exact offsets."""

__version__ = "0.3.10"

# Notebook helpers and the overview writer, imported on first use so that `import kner` stays fast (pandas/spaCy
# load lazily). render lives in display.py: a submodule named render would replace the function on the package
# once imported. write_report (`kner report`) lives in overview.py; kner.report is the evaluation report.
_LAZY = {"load_annotations": "frames", "load_documents": "frames", "render": "display", "write_report": "overview"}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    """Import `load_annotations`, `load_documents`, `render` and `write_report` from their modules when first asked."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
