"""``python -m cdk8s_gitops``: the same as the ``cdk8s-gitops`` command."""

import sys

from .cli import main

sys.exit(main())
