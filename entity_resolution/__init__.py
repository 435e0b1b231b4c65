"""Entity resolution: turns mentions into entities, with judgements as data."""
