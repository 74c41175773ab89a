"""Allow ``python -m checkout_app``."""

from checkout_app.cli import main

raise SystemExit(main())
