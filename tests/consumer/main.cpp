// Built against the installed package: loads the installed default pack and judges a query.
#include <signpost/signpost.hpp>

#include <iostream>

int main() {
  try {
    const auto engine = signpost::Engine::load(SIGNPOST_INSTALLED_PACK);
    const auto d = engine.evaluate({.text = "small boat to uk tonight price", .locale = "en"});
    std::cout << engine.pack().name << " " << signpost::to_string(d.action) << "\n";
    return d.action == signpost::Action::none ? 1 : 0;
  } catch (const signpost::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
