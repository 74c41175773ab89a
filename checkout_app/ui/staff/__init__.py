"""Staff area pages: PIN, registration, people, catalog, system health, settings."""
