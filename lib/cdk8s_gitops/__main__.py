"""``python -m cdk8s_gitops``: the same as the ``cdk8s-gitops`` command."""

from .console import console

console()
