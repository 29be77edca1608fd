"""``python -m wrqa`` runs the command line."""

from wrqa.cli import main

main()
