"""``python -m ops.fake_telegram --port 8081``: the fake Bot API as its own process (runall starts it so)."""

from ops.fake_telegram.cli import main

raise SystemExit(main())
