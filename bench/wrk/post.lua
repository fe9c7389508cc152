-- make bench's wrk script: POSTs the JSON bodies of a file (one per line) in turn, one per request.
-- Arguments: <bodies file> [<header name> <header value>]
-- At the end it prints one line, "BENCH {...}", with requests, seconds, latency percentiles in
-- microseconds (p50, p99, p99.9), the non-2xx answers and the socket errors.
local bodies = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if args[2] ~= nil then
    wrk.headers[args[2]] = args[3]
  end
  counter = math.random(#bodies)
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\":%d,\"seconds\":%.3f,\"p50\":%d,\"p99\":%d,\"p999\":%d,\"non2xx\":%d,\"socketErrors\":%d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    e.status, e.connect + e.read + e.write + e.timeout))
end
