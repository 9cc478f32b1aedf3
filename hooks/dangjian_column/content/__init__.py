"""Source files to the content model: reading, typed fields, slugs, branches, stories, photos, status, the catalog."""
