"""Worker process of :mod:`gitops_core.diff._jq`: reads requests on stdin, answers on stdout.

Request (one line): ``[[expression, ...], document]``. Answer: one line per expression, ``1``
when it applied or a JSON string with the reason it was skipped, then one line with the final
document. Lines are flushed one by one so the parent can time each expression.
"""

from __future__ import annotations

import json
import sys

from gitops_core.diff._jq import apply_program

__all__ = ["main"]


_MEMORY_LIMIT = 2 << 30  # a runaway program fails with "out of memory" instead of swapping


def main() -> int:
    """Serve requests until stdin closes."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform (or a lower hard limit): the deadline still applies
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        expressions, document = json.loads(line)
        for expression in expressions:
            try:
                document, reason = apply_program(expression, document)
            except ValueError:
                reason = "does not compile"
            out.write("1\n" if reason is None else json.dumps(reason) + "\n")
            out.flush()
        out.write(json.dumps(document, separators=(",", ":")) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
