"""Settings package: base, dev (the default), test and production."""
