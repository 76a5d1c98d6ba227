"""``python -m spikecontent``."""

from spikecontent.cli import main

main()
