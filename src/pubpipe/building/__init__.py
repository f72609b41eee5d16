"""Building: plan the jobs, key and cache them, run them in workers under a lock, commit the outputs."""
