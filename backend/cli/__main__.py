"""`python -m backend.cli`: the same as the `telarana` command."""

from backend.cli import main

main()
