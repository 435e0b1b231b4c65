from __future__ import annotations

import warnings

from ingest.nlp import SPANISH_MODEL_VERSION, load_spanish


def test_spanish_model_really_loads_offline_without_the_version_warning():
    load_spanish.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nlp = load_spanish()
    assert not [w for w in caught if "W095" in str(w.message)]
    assert nlp.meta["name"] == "core_news_sm" and nlp.meta["version"] == SPANISH_MODEL_VERSION
    assert "ner" in nlp.pipe_names
    doc = nlp("El 12 de marzo de 2018 alias El Paisa captó a Luisa Fernanda Ríos en Pereira. Viajaron en bus a Bogotá.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Luisa Fernanda Ríos", "PER") in found
    assert ("Pereira", "LOC") in found


def test_the_silencing_is_narrow():
    # The filter lives only while the model loads: other warnings still reach the user.
    load_spanish()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        warnings.warn("[W095] a later warning of the same code is not hidden", UserWarning)
    assert len(caught) == 1
