"""newsgen: raw, scraped news text in; a browsable, searchable static news archive out."""

__version__ = "0.1.0"
