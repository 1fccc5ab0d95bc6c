"""`python -m kner` runs the `kner` command line."""

from .cli import main

main()
