"""The default pack on texts told in emoji alone (pack 2.24.0, docs/pack-people-smuggling.md,
"Changes in 2.24.0"):

- ordinary activities told with a boat, flags, an arrow and a price (an escorted Channel swim, a
  ticket, a used boat with its engine, an appointment at an office) are left alone; the same emoji
  beside what an advert needs (a free place, a number, a route to the UK for a boat on sale) are not;
- warnings, court news and the press told in emoji are left alone, even when they name the phone
  that carries the adverts; with a phone number or places left they are adverts again;
- a question and a plea in emoji (❓, 🙏) ask for help; asking for a phone number (📞❓) does not.

Each group is checked with the shipped pack and with its context undone (its `any` or `all` list
pointed at a lexicon no text here hits), so that the test fails if the context stops mattering."""
import pathlib

import pytest

PACK = pathlib.Path(__file__).resolve().parents[2] / "messages" / "people-smuggling"

# (context, mode, text): ordinary texts that the context keeps from a redirect
ORDINARY = [
    ("sport-emoji-text", "post", "🏊‍♀️🇬🇧➡️🇫🇷 🛥️ escort ⏱️ 13h 🏅🎉"),
    ("sport-emoji-text", "query", "🏊‍♂️🇬🇧➡️🇫🇷 🚤 pilot 2031"),
    ("ticket-emoji-text", "query", "⛵🇫🇷➡️🇬🇧🎫"),
    ("ticket-emoji-text", "post", "🚌🇫🇷➡️🇬🇧 🎟️ 💶45 📲 book"),
    ("boat-sale-emoji", "post", "🚤 ⚙️ 🔧✅ 💷2400 📞"),
    ("office-appointment-emoji", "query", "🛂🇬🇧🏛️📅✅"),
    ("warning-or-news-emoji", "post", "📰 🚤🇬🇧 📱 ads ➡️ ⚖️ 4 yrs ⛓️"),
    ("warning-or-news-emoji", "post", "⚠️ '💯 safe' 🚤🇬🇧 = ⚰️ 😢 🙏"),
    ("question-and-plea-emoji", "post", "🇸🇾👨‍👩‍👧 ➡️ 🇬🇧 ✅ way ❓ 🚤❌ 🙏"),
]

# adverts with the same emoji: each names what the context's `none` list keeps off
ADVERTS = [
    ("post", "🏊‍♂️🚤🇬🇧 💷2000 📩 private"),
    ("post", "👥5️⃣ = 🎟️🆓 🚤🇬🇧 🔜"),
    ("post", "🚤⚙️ 🇫🇷➡️🇬🇧 💷1800 📞"),
    ("post", "⚠️ 🚤🇬🇧 tonight 4 places left 📲 +44 7700 900418"),
    ("post", "📰 🚤🇬🇧 this week 4 places left 📲 DM"),
    ("query", "🙏🇬🇧✅🚤👤📞❓"),
]


def test_ordinary_activities_and_warnings_in_emoji_are_left_alone(check):
    for context, mode, text in ORDINARY:
        assert check(PACK, text, "en", mode)["action"] in ("none", "annotate"), (context, text)


@pytest.mark.parametrize("context", sorted({c for c, _, _ in ORDINARY}))
def test_each_context_matters(pack_with, check, context):
    lines = (PACK / "contexts.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {context}")
    any_line = next(line for line in lines[start + 1:] if line.strip().startswith(("any: [", "all: [")))
    pack = pack_with("contexts.yaml", f"  - id: {context}\n{any_line}", f"  - id: {context}\n    any: [legally]")
    undone = [check(pack, text, "en", mode)["action"] for c, mode, text in ORDINARY if c == context]
    assert "redirect" in undone, (context, undone)


def test_adverts_with_the_same_emoji_are_still_redirected(check):
    for mode, text in ADVERTS:
        assert check(PACK, text, "en", mode)["action"] == "redirect", text
