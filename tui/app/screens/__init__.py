"""One screen per file: agenda (home), clients, client page, problems, help."""
