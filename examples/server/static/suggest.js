// signpost demo search: live suggestions for the search box (docs/typeahead.md).
//
// As the searcher types, the suggestions of the list below that start with what was typed (or
// whose words do) are sent with it to POST /v1/suggest, and only those the pack lets through are
// shown: a search box must not complete "boat to" into a smuggling search. The list is a
// combobox in the WAI-ARIA pattern (role="combobox" on the input, a role="listbox" of
// role="option" items; arrows move, Enter picks, Escape closes). Without script the page is the
// plain search form it always was. Served as a file from /static/ so the Content-Security-Policy
// allows no inline script; it calls only its own origin.
"use strict";

(function () {
  // Searches people type, across the languages of the default pack: risky ones (which the pack
  // must keep out of the box), ordinary ones and help-seeking ones. From the development query set
  // of the repository (tests/data/eval/dev-queries.tsv).
  const SUGGESTIONS = [
    "boat to england from france price", "boat to britain discount for groups", "boat hire thames",
    "boat to uk telegram channel", "small boat to uk this weekend", "small boats crossings latest figures",
    "channel crossing boat cost per person", "channel swim training plan", "cheap flights to london",
    "children free entry zoo", "children go free channel crossing", "dover calais ferry booking",
    "dunkirk to dover boat contact", "fake uk passport for sale", "fake plants for living room",
    "family visa uk how to apply", "safe routes to the uk for refugees", "safe crossing to england guaranteed",
    "sailing dinghy for sale", "report human trafficking uk", "renew british passport online",
    "uk refugee resettlement scheme", "speedboat ride brighton",
    "bateau pour l'angleterre prix", "passeur calais angleterre numéro", "passeport renouvellement mairie",
    "ferry dunkerque douvres réservation", "faux passeport anglais", "faux plafond prix",
    "قارب إلى بريطانيا السعر", "رحلة بالقارب في النيل", "طلب لجوء في المملكة المتحدة", "عبارة كاليه دوفر",
    "بلم به انگلیس", "تمدید گذرنامه", "اخبار پناهجویان انگلیس",
    "بەلەم بۆ ئینگلتەرا", "هەواڵەکانی کۆچبەران",
    "qeyik bo îngilîstanê biha", "pasaport nûkirin",
    "انګلستان ته قاچاق", "د انګلستان خبرونه",
    "gomone per ne angli", "bileta traget per itali",
    "đi anh bằng xuồng", "vé máy bay đi london",
    "ingiltereye kaçak giriş fiyat", "ingiltere üniversite başvuru", "feribot fiyatları",
  ];
  const MAX_CANDIDATES = 8; // sent per call (the server takes up to 100)
  const DEBOUNCE_MS = 150;

  const input = document.getElementById("q");
  const form = input && input.form;
  if (!input || !form || !window.fetch) return;
  const language = document.getElementById("hl");

  const fold = (s) => s.toLocaleLowerCase().normalize("NFC");
  const folded = SUGGESTIONS.map(fold);

  // The suggestions that start with the typed text, then those with a word that does.
  function candidates(typed) {
    const t = fold(typed.trim());
    if (!t) return [];
    const first = [], then = [];
    folded.forEach((s, i) => {
      if (s.startsWith(t)) first.push(SUGGESTIONS[i]);
      else if (s.split(/\s+/).some((w) => w.startsWith(t))) then.push(SUGGESTIONS[i]);
    });
    return first.concat(then).filter((s) => fold(s) !== t).slice(0, MAX_CANDIDATES);
  }

  const list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const label = document.querySelector('label[for="q"]');
  if (label) {
    if (!label.id) label.id = "q-label";
    list.setAttribute("aria-labelledby", label.id);
  }
  input.insertAdjacentElement("afterend", list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let active = -1;
  let timer = 0;
  let asked = 0; // the number of the latest call: older answers are dropped

  function options() { return Array.from(list.querySelectorAll('[role="option"]')); }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(i) {
    const items = options();
    items.forEach((li, k) => li.setAttribute("aria-selected", k === i ? "true" : "false"));
    active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", items[i].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function pick(text) {
    input.value = text;
    close();
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  function show(kept) {
    list.replaceChildren();
    kept.forEach((text, k) => {
      const li = document.createElement("li");
      li.id = "q-suggestion-" + k;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dir = "auto";
      li.textContent = text; // never parsed as markup
      li.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the box
      li.addEventListener("click", () => pick(text));
      list.appendChild(li);
    });
    active = -1;
    list.hidden = kept.length === 0;
    input.setAttribute("aria-expanded", kept.length ? "true" : "false");
  }

  async function suggest() {
    const typed = input.value;
    const asking = candidates(typed);
    const call = ++asked;
    // data-answered: the typed text the list now answers (for tests and assistive tooling).
    const answered = () => { list.dataset.answered = typed; };
    if (!asking.length) {
      close();
      return answered();
    }
    const query = { text: typed };
    if (language && language.value) query.locale = language.value;
    try {
      const res = await fetch("/v1/suggest", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query, suggestions: asking }),
        credentials: "same-origin",
      });
      if (!res.ok) throw new Error(String(res.status));
      const body = await res.json();
      if (call === asked) {
        show(Array.isArray(body.suggestions) ? body.suggestions : []);
        answered();
      }
    } catch (e) {
      if (call === asked) {
        close(); // no suggestions rather than unchecked ones
        answered();
      }
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (e) => {
    const n = options().length;
    if (e.key === "ArrowDown" && n) {
      e.preventDefault();
      highlight((active + 1) % n);
    } else if (e.key === "ArrowUp" && n) {
      e.preventDefault();
      highlight(active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      pick(options()[active].textContent);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  if (language) language.addEventListener("change", () => { if (input.value) suggest(); });
})();
