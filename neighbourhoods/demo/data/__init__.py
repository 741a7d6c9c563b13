"""The demo's fixed inputs: names, the place, the articles."""
