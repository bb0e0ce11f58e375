"""Storage of the service's records, each behind a Protocol the services depend on."""
