// The README's quick start, compiled and run by the test suite so it cannot rot.
// [quickstart]
#include <signpost/signpost.hpp>

#include <iostream>

int main() {
  const signpost::Engine engine = signpost::Engine::load_default();  // throws signpost::ConfigError

  signpost::Decision d = engine.evaluate({.text = "boat to uk tonight, price per person", .locale = "en"});
  std::cout << signpost::to_string(d.action) << " " << d.category << "\n";
  for (const signpost::Card& card : d.cards) std::cout << "  " << card.title << " -> " << card.url << "\n";

  // Search results: cards swapped in, risky results removed or flagged.
  std::vector<signpost::Result> results = {
      {"1", "Dover to Calais ferry", "Book ferry tickets online", "https://ferry.example/"},
      {"2", "Boat to UK this Friday", "1400 euro each, children free, WhatsApp me", "https://ads.example/1"},
  };
  signpost::RedirectedResults page = engine.redirect({.text = "boat to uk", .locale = "en"}, results);
  std::cout << page.entries.size() << " entries, " << page.removed << " removed\n";
  // [quickstart]
  return d.action == signpost::Action::none ? 1 : 0;
}
