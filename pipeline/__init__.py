"""kner: Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news, with exact offsets."""

__version__ = "0.1.0"
