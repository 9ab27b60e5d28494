"""Which language a comment is in: French, English, or another.

Two signals, because comments are short:

1. the function words and the social-media words of French and English ("est",
   "vous", "pas", "the", "you", "lol"...) counted in the text; when one language
   has more of them, it wins: short texts are where the statistical model errs;
2. otherwise py3langid (a naive Bayes model over byte n-grams, trained on 97
   languages, shipped with the package: nothing is downloaded) restricted to the
   languages Parvis's users meet most, so that a short English comment is not
   taken for Latin or Croatian.

A text with no letters (emoji only, figures) is "other".
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from parvis.inbox.triage.lexicon import ENGLISH_WORDS, FRENCH_WORDS, SHARED_WORDS
from parvis.inbox.triage.text import Text

FRENCH = "fr"
ENGLISH = "en"
OTHER = "other"

# Languages the model chooses among: French and English, and the neighbours whose
# comments would otherwise be taken for one of them.
MODEL_LANGUAGES = ["fr", "en", "es", "de", "it", "pt", "nl"]
CLEAR_LEAD = 3  # this many more words of one language decide without the model
MODEL_SURE = 0.9  # above this, a third language beats a couple of French or English words


def _counts(text: Text) -> tuple[int, int]:
    french = sum(1 for w in text.words if w in FRENCH_WORDS and w not in SHARED_WORDS)
    english = sum(1 for w in text.words if w in ENGLISH_WORDS and w not in SHARED_WORDS)
    return french, english


@cache
def _identifier() -> LanguageIdentifier:
    """Loaded once per process (about a second), on the first comment."""
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(MODEL_LANGUAGES)
    return identifier


def _model(raw: str) -> tuple[str, float]:
    language, probability = _identifier().classify(raw)
    return str(language), float(probability)


def detect_language(text: Text) -> str:
    """ "fr", "en" or "other"."""
    if not text.has_letters:
        return OTHER
    french, english = _counts(text)
    if abs(french - english) >= CLEAR_LEAD:
        return FRENCH if french > english else ENGLISH  # the model would not change it
    model, probability = _model(text.raw)
    if french == english:
        return model if model in (FRENCH, ENGLISH) else OTHER
    hinted = FRENCH if french > english else ENGLISH
    if model not in (FRENCH, ENGLISH) and probability >= MODEL_SURE and max(french, english) <= 2:
        return OTHER
    return hinted
