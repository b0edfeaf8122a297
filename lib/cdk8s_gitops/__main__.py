"""``python -m cdk8s_gitops``: the same as the ``cdk8s-gitops`` command."""

from .cli import console

console()
