-- wrk script for scripts/soak.sh: a mix of requests that must all succeed (2xx, or 302 for /go),
-- cycled per connection: risky and benign queries in several languages, text that is not valid
-- UTF-8, a body near the 64 KiB limit, /v1/redirect, the search page, /go and /healthz.
-- done() prints one line "soak-lua: requests=N unexpected=M" (M counts statuses other than 2xx and
-- 302) that soak.sh checks, besides wrk's own error counts.

local function evaluate(text, locale)
  local body = '{"text": "' .. text .. '"' .. (locale and (', "locale": "' .. locale .. '"') or "") .. '}'
  return wrk.format("POST", "/v1/evaluate", {["Content-Type"] = "application/json"}, body)
end

local function large_body()
  -- About 60 KiB of ordinary words with a risky phrase in the middle (the limit is 64 KiB).
  local words = {}
  for i = 1, 3000 do words[#words + 1] = (i == 1500) and "boat to uk tonight price" or "weather" end
  return table.concat(words, " ")
end

local requests = {}

function init(args)
  requests = {
    evaluate("boat to uk tonight price per person", "en"),
    evaluate("ferry timetable dover calais", "en"),
    evaluate("passeur bateau angleterre prix", "fr"),
    evaluate("small boat crossing tonight whatsapp", nil),
    evaluate("boat \255\254 to uk \192\175 price", "en"),   -- not valid UTF-8
    evaluate("\237\160\128 lone surrogate bytes", "en"),     -- not valid UTF-8 either
    evaluate(large_body(), "en"),
    wrk.format("POST", "/v1/redirect", {["Content-Type"] = "application/json"},
               '{"query": {"text": "boat to uk price", "locale": "en"}, "results": [' ..
               '{"id": "1", "title": "Channel crossing by boat, price per person", "url": "https://a.example/1"},' ..
               '{"id": "2", "title": "Ferry times Dover to Calais", "url": "https://b.example/2"}]}'),
    wrk.format("GET", "/search?q=boat+to+uk+price&hl=en"),
    wrk.format("GET", "/search?q=ferry+timetable&hl=fr"),
    wrk.format("GET", "/go/crossing-dangers?hl=en"),
    wrk.format("GET", "/healthz"),
  }
  counter = math.random(#requests)
  total = 0
  unexpected = 0
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function response(status, headers, body)
  total = total + 1
  if not ((status >= 200 and status < 300) or status == 302) then unexpected = unexpected + 1 end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, reqs)
  local t, u = 0, 0
  for _, thread in ipairs(threads) do
    t = t + (thread:get("total") or 0)
    u = u + (thread:get("unexpected") or 0)
  end
  io.write(string.format("soak-lua: requests=%d unexpected=%d\n", t, u))
end
