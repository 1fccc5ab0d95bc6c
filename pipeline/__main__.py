"""`python -m pipeline` runs the `kner` command line."""

from .cli import main

main()
