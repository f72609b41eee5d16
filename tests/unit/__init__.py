"""pubpipe tests (a package, so tests in unit/ and e2e/ may share a file name)."""
