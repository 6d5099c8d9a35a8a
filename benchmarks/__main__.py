"""``python -m benchmarks``: the staged runner of :mod:`gitops_core.bench.runner`.

Examples: ``python -m benchmarks --quick``; ``python -m benchmarks --sizes 10k,100k -o json``.
"""

from __future__ import annotations

from gitops_core.bench.runner import main

if __name__ == "__main__":
    raise SystemExit(main())
