"""One module per pubpipe command; cli.py registers them."""
