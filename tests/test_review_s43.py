"""Review of stop 43 (notes/review-s43.md): what b6245f0 left out when it shipped the index."""

import os
import subprocess
import sys
from pathlib import Path

_FIRST_RUN = "from spikecontent.lint.vocabulary import health_objects; health_objects()"


def test_a_first_run_with_the_packaged_index_removes_an_earlier_vocabularys_term_files(
    tmp_path: Path,
) -> None:
    # Before b6245f0 a new vocabulary's first run built its terms (_terms), which removed
    # the term files of the vocabulary before (1.5 MB each) and earlier releases' unsigned
    # ones; with the packaged index that build is skipped, and so is their removal.
    folder = tmp_path / "spikecontent"
    folder.mkdir()
    earlier = [folder / "health-objects-00000000000000000000.terms"]
    earlier.append(folder / "health-objects-00000000000000000000.json")
    for path in earlier:
        path.write_bytes(b"{}")
    run = subprocess.run(
        [sys.executable, "-c", _FIRST_RUN],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    # The packaged index was used (no term file of this vocabulary made), and it is kept.
    (kept,) = folder.glob("health-objects-*.index")
    assert [path.name for path in earlier if path.exists()] == []
    assert sorted(path.name for path in folder.iterdir()) == [kept.name, "load-cache.key"]
