"""Page planning: every generated page, its URL, its template context, listings and views."""
