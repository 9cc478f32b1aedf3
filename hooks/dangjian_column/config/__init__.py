"""Settings: column.yml (and the wording list) read into typed settings."""
