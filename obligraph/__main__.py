"""``python -m obligraph`` runs the command line."""

from obligraph.cli import main

if __name__ == "__main__":
    main()
