"""The ``dangjian`` command and its sub-commands."""
