"""`python -m reelsense …` is the `reelsense` command."""

from .cli.main import main

raise SystemExit(main())
