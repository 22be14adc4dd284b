-- wrk script: POST /v1/evaluate with one risky English query (the decision carries three cards).
wrk.method = "POST"
wrk.body = '{"text": "boat to uk tonight price per person", "locale": "en"}'
wrk.headers["Content-Type"] = "application/json"
