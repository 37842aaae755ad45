"""Code suggestions: keyword, learned and (optional) encoder suggesters, the engine that runs them, their evaluation."""
