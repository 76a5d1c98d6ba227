"""Build the health-object index that ships in the package, or check it.

Lint's vocabulary (:mod:`spikecontent.lint.vocabulary`) reads two ontologies' packages
and the project lists, which costs a first run on a machine about 4.5 s; the index built
from them with the versions ``constraints.txt`` pins ships as
``src/spikecontent/lint/health-objects.index.gz`` and is used where those versions and
lists are installed. Run this after changing ``health-objects.yaml`` or the pins::

    python -m benchmarks.health_objects_index           # build and write it
    python -m benchmarks.health_objects_index --check   # build and compare (a slow test)
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from spikecontent.lint import vocabulary

TARGET = Path(vocabulary.__file__).with_name(vocabulary.PACKAGED_INDEX)


def main() -> None:
    """Build the index from the sources and lists (never from a cache), then write or check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    arguments = parser.parse_args()
    data = vocabulary.packaged_index_bytes(vocabulary.built_index())
    if arguments.check:
        # The index, not the gzip bytes: another zlib (zlib-ng) or system writes other
        # bytes for the same index.
        same = TARGET.exists() and gzip.decompress(TARGET.read_bytes()) == gzip.decompress(data)
        print(f"{TARGET.name} {'is' if same else 'is NOT'} what the vocabulary makes")
        sys.exit(0 if same else 1)
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
