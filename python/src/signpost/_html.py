"""Rich display in notebooks (Jupyter, VS Code): ``_repr_html_`` for decisions, redirected result
lists and eval reports.

A decision shows its action, category and score, the rules that fired, and its cards as a searcher
would see them: title, body and call to action, in the card's language and direction (``dir="rtl"``
for Arabic, Persian, Sorani, Pashto...). Every string is escaped (card text comes from a pack, match
text from whoever typed it), the call-to-action link is the pack's https URL, and nothing loads from
elsewhere: styles are inline.
"""

from __future__ import annotations

from html import escape
from typing import Any, Optional

_ACTION_COLOURS = {"none": "#555", "annotate": "#2a6", "interstitial": "#b70", "redirect": "#c22", "error": "#80a"}

_CARD = ("border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:6px 0;max-width:42em;"
         "font-family:system-ui,'Noto Sans','Noto Sans Arabic',sans-serif")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def card_html(card) -> str:
    direction = "rtl" if card.rtl else "ltr"
    url = card.url if card.url.startswith("https://") else ""
    link = (f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">{_e(card.cta)}</a>' if url
            else _e(card.cta))
    return (f'<article lang="{_e(card.locale)}" dir="{direction}" style="{_CARD};text-align:start">'
            f'<div style="font-weight:600;margin-bottom:4px">{_e(card.title)}</div>'
            f'<div style="margin-bottom:6px">{_e(card.body)}</div>'
            f'<div>{link}</div>'
            f'<div dir="ltr" style="color:#777;font-size:80%;margin-top:4px">'
            f'card <code>{_e(card.id)}</code> · {_e(card.locale)}</div>'
            f'</article>')


def decision_html(d, text: Optional[str] = None, cards: bool = True) -> str:
    """``d`` as HTML; with ``text`` (what was judged) the matched spans too; ``cards=False`` leaves
    the cards out (a result list shows them in place)."""
    action = d.action
    colour = _ACTION_COLOURS.get(action, "#555")
    head = (f'<span style="background:{colour};color:#fff;border-radius:4px;padding:1px 6px">{_e(action)}</span>')
    if d.error is not None:
        return f'<div lang="en" dir="ltr">{head} {_e(d.error)}</div>'
    parts = [f'<div lang="en" dir="ltr">{head}']
    if d.category:
        parts.append(f" <b>{_e(d.category)}</b>")
    parts.append(f" score {d.score:.2f}")
    if d.holdout:
        parts.append(" <i>(holdout: not shown)</i>")
    pack = d.pack
    parts.append(f' <span style="color:#777">pack {_e(pack.name)} {_e(pack.version)}</span></div>')
    if d.matches:
        rules = []
        for m in d.matches:
            label = f"{_e(m.rule)} ({_e(m.category)})"
            if text is not None:
                start, end = m.span_chars(text)
                label += f': <bdi dir="auto">{_e(text[start:end])}</bdi>'
            rules.append(f"<li>{label}</li>")
        parts.append(f'<ul lang="en" dir="ltr" style="margin:4px 0">{"".join(rules)}</ul>')
    if d.cards and cards:
        parts.append('<div lang="en" dir="ltr" style="color:#555;margin-top:4px">'
                     'What the searcher sees in place of the risky results:</div>')
        parts.extend(card_html(c) for c in d.cards)
    return "<div>" + "".join(parts) + "</div>"


def redirected_html(page) -> str:
    rows = [f'<div lang="en" dir="ltr">{page.removed} removed, {page.flagged} flagged</div>',
            '<ol style="padding-inline-start:1.5em">']
    for e in page.entries:
        if e.kind == "card":
            rows.append(f"<li>{card_html(e.card)}</li>")
            continue
        r = e.result
        flag = ' <b style="color:#c22">flagged</b>' if e.flagged else ""
        rows.append(f'<li><div dir="auto"><b>{_e(r.title)}</b>{flag}</div>'
                    f'<div dir="ltr" style="color:#070">{_e(r.url)}</div>'
                    f'<div dir="auto">{_e(r.snippet)}</div></li>')
    rows.append("</ol>")
    return f'<div>{decision_html(page.decision, cards=False)}{"".join(rows)}</div>'


def _ratio(x: Optional[float]) -> str:
    return "–" if x is None else f"{x:.3f}"


def report_html(report, errors: int = 20) -> str:
    """An eval report: overall, per language and per category, then the first wrong answers."""
    def row(name: str, s) -> str:
        return (f"<tr><td>{_e(name)}</td><td>{s.items}</td><td>{_ratio(s.recall)}</td>"
                f"<td>{_ratio(s.precision)}</td><td>{s.fn}</td><td>{s.fp}</td></tr>")

    pack = report.pack
    out = [f'<div lang="en" dir="ltr"><div><b>{report.overall.items} items</b>, pack {_e(pack.get("name", ""))} '
           f'{_e(pack.get("version", ""))}, mode {_e(report.mode)}</div>',
           '<table><thead><tr><th></th><th>items</th><th>recall</th><th>precision</th><th>missed</th>'
           '<th>wrong</th></tr></thead><tbody>', row("overall", report.overall)]
    out += [row(f"language {k}", report.by_language[k]) for k in sorted(report.by_language)]
    out += [row(f"category {k}", report.by_category[k]) for k in sorted(report.by_category)]
    out.append("</tbody></table>")
    wrong = report.errors
    if wrong:
        out.append(f"<div>{len(wrong)} wrong answers" + (f" (first {errors})" if len(wrong) > errors else "")
                   + ":</div><table><thead><tr><th>label</th><th>locale</th><th>got</th><th>text</th></tr>"
                   "</thead><tbody>")
        for o in wrong[:errors]:
            got = o.action + (f" ({o.category})" if o.category else "")
            out.append(f"<tr><td>{_e(o.item.label)}</td><td>{_e(o.item.locale)}</td><td>{_e(got)}</td>"
                       f'<td><bdi dir="auto">{_e(o.item.text)}</bdi></td></tr>')
        out.append("</tbody></table>")
    out.append("</div>")
    return "".join(out)
