// signpost/signpost.hpp: the whole public API.
//
// signpost matches search queries, posts and search results against an intervention pack and
// tells the host what to do: show counter-messaging cards in place of risky results, mark them,
// or nothing.
//
//   #include <signpost/signpost.hpp>
//
//   const signpost::Engine engine = signpost::Engine::load_default();   // throws ConfigError
//   signpost::Decision d = engine.evaluate({.text = "boat to uk price", .locale = "en"});
//   if (d.action != signpost::Action::none)
//     for (const signpost::Card& card : d.cards) show(card.title, card.body, card.url);
//
// Engines are immutable and thread-safe; evaluate() never throws on any input text.
#pragma once

#include "signpost/engine.hpp"
#include "signpost/error.hpp"
#include "signpost/export.hpp"
#include "signpost/flood_guard.hpp"
#include "signpost/json.hpp"
#include "signpost/measure.hpp"
#include "signpost/trace.hpp"
#include "signpost/types.hpp"
#include "signpost/validate.hpp"
#include "signpost/version.hpp"
