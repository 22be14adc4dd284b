"""The default pack on posts that quote a smuggler's promises (pack 2.25.0, context
`quoted-passage` in rules/quoted.yaml, the built-in entity @quote; docs/pack-people-smuggling.md,
"Changes in 2.25.0"):

- a warning that lists the promises between quotation marks, in English and Arabic, is left
  alone, and is redirected when the context is taken out of the pack (so the test fails if the
  context stops mattering);
- adverts that quote a testimony and give places, a price or a contact are still redirected;
- a search with quotes is not touched (the context is for posts);
- a word of news ("this year") no longer cancels an advert the classifier is sure of: the news
  context yields to `advert-text-sure` (contexts.yaml, 2.25.0), and without that the advert is
  left alone."""
import pathlib

PACK = pathlib.Path(__file__).resolve().parents[2] / "messages" / "people-smuggling"

WARNINGS = [
    ("en", 'Every season the same lines: "guaranteed crossing", "kids go free", "pay when you arrive". '
           "The boats are the same overcrowded dinghies."),
    ("ar", "كل سنة نفس الكلام: «طلعة مضمونة»، «الأطفال ببلاش»، «الدفع بعد الوصول». والبلم نفس البلم"),
]

ADVERTS = [
    ("en", "post", '"We made it, thank you brother" - Karim, London 🇬🇧 Next boat Friday, 2 places, DM me'),
    ("fr", "post", "Témoignage : « arrivés sans problème, merci ». Prochain départ samedi, 1500 € par personne, "
                   "écrivez en privé."),
    ("en", "query", '"boat to uk" price per person'),
]


def test_warnings_that_quote_promises_are_left_alone(check):
    for locale, text in WARNINGS:
        assert check(PACK, text, locale, "post")["action"] in ("none", "annotate"), text


def test_the_context_matters(pack_with, check):
    pack = pack_with("rules/quoted.yaml", 'any: ["@quote"]', "any: [legally]")
    for locale, text in WARNINGS:
        assert check(pack, text, locale, "post")["action"] == "redirect", text


def test_adverts_that_quote_a_testimony_are_still_redirected(check):
    for locale, mode, text in ADVERTS:
        assert check(PACK, text, locale, mode)["action"] == "redirect", text


NEWS_WORDED_ADVERT = "Last boat for this year, 30/12. Small group only, women and kids no problem. Meeting point I send in private."


def test_a_news_word_does_not_cancel_a_sure_advert(pack_with, check):
    assert check(PACK, NEWS_WORDED_ADVERT, "en", "post")["action"] == "redirect"
    lines = (PACK / "contexts.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: news-reporting")
    none_line = next(line for line in lines[start + 1:] if line.startswith("    none: ["))
    assert none_line.endswith(", advert-text-sure]")
    pack = pack_with("contexts.yaml", none_line, none_line.replace(", advert-text-sure]", "]"))
    assert check(pack, NEWS_WORDED_ADVERT, "en", "post")["action"] == "none"
