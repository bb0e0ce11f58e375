"""Business rules, independent of HTTP and of how records are stored."""
