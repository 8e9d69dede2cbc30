-- One load scenario for wrk; bench/load/run.py fills in the header below (paths, methods,
-- auth headers, bodies, output file) and runs `wrk -s`. Requests rotate through the
-- prepared entries; responses are counted by status class in every thread and summed in
-- done(), which writes one JSON object: counts, wrk's errors and latency percentiles.

-- run.py puts `scenario = {out = ..., requests = {{method, path, headers, body}, ...}}` here:
-- @@SCENARIO@@

local counter = 0
local threads = {}
c201, c2xx, c3xx, c4xx, c429, c5xx = 0, 0, 0, 0, 0, 0

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local r = scenario.requests[((counter + offset) % #scenario.requests) + 1]
  return wrk.format(r[1], r[2], r[3], r[4])
end

function response(status, headers, body)
  if status == 201 then c201 = c201 + 1 end
  if status >= 500 then c5xx = c5xx + 1
  elseif status == 429 then c429 = c429 + 1; c4xx = c4xx + 1
  elseif status >= 400 then c4xx = c4xx + 1
  elseif status >= 300 then c3xx = c3xx + 1
  else c2xx = c2xx + 1 end
end

function done(summary, latency, requests)
  local totals = {c201 = 0, c2xx = 0, c3xx = 0, c4xx = 0, c429 = 0, c5xx = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local points = {}
  for _, p in ipairs({1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9}) do
    table.insert(points, string.format('"%s": %.3f', p, latency:percentile(p) / 1000))
  end
  local e = summary.errors
  local f = io.open(scenario.out, "w")
  f:write(string.format(
    '{"requests": %d, "duration_s": %.3f, "status_201": %d, "status_2xx": %d, ' ..
    '"status_3xx": %d, "status_4xx": %d, "status_429": %d, "status_5xx": %d, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_mean_ms": %.3f, "latency_max_ms": %.3f, "latency_ms": {%s}}',
    summary.requests, summary.duration / 1e6, totals.c201, totals.c2xx, totals.c3xx,
    totals.c4xx, totals.c429, totals.c5xx, e.connect, e.read, e.write, e.timeout,
    latency.mean / 1000, latency.max / 1000, table.concat(points, ", ")))
  f:close()
end
