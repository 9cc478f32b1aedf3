"""Checks on the text itself: standard wording, raw HTML, and the sanitiser every rendered body goes through."""
