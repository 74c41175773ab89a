"""Allow ``python -m checkout_app``."""

from checkout_app.cli.main import main

raise SystemExit(main())
