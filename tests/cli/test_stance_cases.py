"""The default pack on posts and searches whose stance decides them (pack 2.23.0,
docs/pack-people-smuggling.md, "Changes in 2.23.0"):

- a warning against one smuggler that recommends another is an advert: the lexicon
  took-us-across keeps the context warning-against off;
- a victim asking where to complain about a smuggler who took the money gets help, never a
  redirect (the complaint words are in the lexicon help);
- "the game tonight" of PUBG players is a video game, not a crossing attempt.

Each case is checked with the shipped pack and, where one line of the pack makes it, with that
line undone, so that the test fails if the line stops mattering."""
import pathlib

PACK = pathlib.Path(__file__).resolve().parents[2] / "messages" / "people-smuggling"

RECOMMENDATIONS = [
    ('ckb', 'لەگەڵ ئەو کەسەی لە دەنکێرک مەچن، پارەی هاوڕێکەمیان خوارد. بەڵام ئەوەی ئامۆزاکەمی پەڕاندەوە باشە، سێ جار هەوڵی دا تا گەیاندی. پەیوەندی: +44 7700 900418'),
    ('ps', 'د کالې له هغو خلکو سره مه ځئ، زما د ملګري پیسې یې وخوړې. خو هغه سړی چې زموږ هلکان یې ورسول ښه دی، شمېره: +44 7700 900219'),
    ('kmr', 'Bi wan kesên li Dunkirkê neçin, pereyê hevalê min xwarin. Lê yê ku birayê min derbas kir baş e, sê caran ceriband heta gihand. Hejmar: +33 6 00 00 00 00'),
    ('sq', 'Mos shkoni me ata te stacionit, na moren leket. Une kalova me grupin tjeter, 3000 paund, heren e dyte doli. Numri ne inbox'),
]

COMPLAINTS = [
    ("en", "smuggler scammed me took 3000 pounds where to complain"),
    ("sq", "trafikanti me mori 2500 paund dhe nuk u nisem ku te ankohem"),
]


def test_a_warning_that_recommends_another_smuggler_is_an_advert(pack_with, check):
    for locale, text in RECOMMENDATIONS:
        assert check(PACK, text, locale, "post")["action"] == "redirect", (locale, text)
    pack = pack_with("contexts.yaml", "only-him, not-news, took-us-across, advert-text-sure]", "only-him, not-news]")
    undone = [check(pack, text, locale, "post")["action"] for locale, text in RECOMMENDATIONS]
    assert undone.count("none") == len(RECOMMENDATIONS), undone


def test_a_victim_asking_where_to_complain_gets_help(check):
    for locale, text in COMPLAINTS:
        d = check(PACK, text, locale, "query")
        assert d["action"] == "annotate" and d["category"] == "help_seeking", (locale, text, d["action"])


def test_pubg_tonight_is_a_video_game(check):
    for locale, text in (("fa", "گیم پابجی امشب اسکواد"), ("ckb", "گەیمی پەبجی ئەمشەو")):
        assert check(PACK, text, locale, "query")["action"] == "none", (locale, text)
