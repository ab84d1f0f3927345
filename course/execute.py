"""Re-run lessons top to bottom in fresh kernels and store their outputs (for authors; what nbval compares).

    python -m course execute [NOTEBOOK ...] [--timeout 900]

Default: every lesson in notebooks/. A lesson that raises is left as it was and the command exits with code 1.
"""

import argparse
import sys
from pathlib import Path

from course.notebooks import LESSONS, execute, read, write_notebook


def main(argv=None):
    """Execute each notebook in its own folder and save it in place when it ran without error."""
    parser = argparse.ArgumentParser(prog="python -m course execute", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per notebook (default 900)")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks or sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")):
        nb = read(path)
        problem = execute(nb, args.timeout, Path(path).resolve().parent)
        if problem:
            failed += 1
            print(f"❌ {path}: {problem} (left unchanged)", flush=True)
        else:
            write_notebook(nb, path)
            print(f"✅ {path}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
