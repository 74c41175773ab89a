"""Pure domain logic: money, catalog, cart, receipt. No Qt, torch, OpenCV or database here."""
