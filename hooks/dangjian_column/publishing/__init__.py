"""What goes out beyond the pages: feeds, the home-page widget, sharing meta, WeChat exports, the search index."""
