-- One load scenario for wrk; bench/load/scenarios.py fills in the header below (requests,
-- acknowledging statuses, output file) and runs `wrk -s`. Each thread rotates through its
-- own share of the prepared requests (the threads start evenly spread over the table, so a
-- write table is not sent twice before it is used up); responses are counted by status in
-- every thread. For writes, the X-Request-ID the app echoes on an acknowledging answer is
-- recorded: it is the request's index in the table. done() sums the threads and writes one
-- JSON object: counts, wrk's socket errors, latency percentiles, acknowledged ids.

-- scenarios.py puts `scenario = {out = ..., threads = N, record_acks = bool,
-- acks = {[status] = true}, requests = {{method, path, headers, body}, ...}}` here:
-- @@SCENARIO@@

local threads = {}
local counter = 0
statuses = {}
acked = {}
local acked_count = 0

function setup(thread)
  local share = math.floor(#scenario.requests / scenario.threads)
  thread:set("offset", #threads * share)
  table.insert(threads, thread)
end

function request()
  local r = scenario.requests[((counter + offset) % #scenario.requests) + 1]
  counter = counter + 1
  return wrk.format(r[1], r[2], r[3], r[4])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if scenario.record_acks and scenario.acks[status] then
    local id = tonumber(headers["X-Request-ID"] or "")
    -- An acknowledgement that names no request is kept as -1: run.py reports it.
    acked_count = acked_count + 1
    acked[acked_count] = id or -1
  end
end

function done(summary, latency, requests)
  local totals, ids = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
    for _, id in ipairs(thread:get("acked")) do table.insert(ids, id) end
  end
  local counts = {}
  for status, n in pairs(totals) do
    table.insert(counts, string.format('"%d": %d', status, n))
  end
  local points = {}
  for _, p in ipairs({1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9}) do
    table.insert(points, string.format('"%s": %.3f', p, latency:percentile(p) / 1000))
  end
  local e = summary.errors
  local f = io.open(scenario.out, "w")
  f:write(string.format(
    '{"requests": %d, "duration_s": %.3f, "statuses": {%s}, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_mean_ms": %.3f, "latency_max_ms": %.3f, "latency_ms": {%s}, ' ..
    '"acked_ids": [%s]}',
    summary.requests, summary.duration / 1e6, table.concat(counts, ", "),
    e.connect, e.read, e.write, e.timeout, latency.mean / 1000, latency.max / 1000,
    table.concat(points, ", "), table.concat(ids, ", ")))
  f:close()
end
