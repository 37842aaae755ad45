"""Code suggestions: keyword and learned suggesters, the engine that runs them, their evaluation."""
