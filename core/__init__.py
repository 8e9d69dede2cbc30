"""What the domain apps share: the application error, the cache that degrades, readiness
checks, the PostgreSQL binary COPY format. Imports no other app and no settings package."""
