"""The SPARQL engine behind `/sparql` and `/api/queries`: checks on the query text, result
formats with a row limit, and a pool of worker processes that a time limit can really stop."""
