"""``python -m gitops_core`` runs the ``gitops-core`` command."""

from __future__ import annotations

import sys

from gitops_core.cli.main import main

sys.exit(main())
