"""Reading: load and validate the project, parse each edition with pandoc into the model."""
