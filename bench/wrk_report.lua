-- Print one machine-readable line after a wrk run: throughput, p95 latency, errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH rps=%.1f p95_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000, summary.requests, errors))
end

-- With BENCH_ROTATE set (addresses separated by spaces), the requests go through them in turn:
-- the searches nobody asked before ask a mix of queries of one to four characters.
local rotate = os.getenv("BENCH_ROTATE")
if rotate then
  local paths = {}
  for path in string.gmatch(rotate, "%S+") do
    table.insert(paths, path)
  end
  local n = 0
  request = function()
    n = n + 1
    return wrk.format(nil, paths[(n % #paths) + 1])
  end
end
