-- Print one machine-readable line after a wrk run: throughput, p95 latency, errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH rps=%.1f p95_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000, summary.requests, errors))
end

-- With BENCH_FRESH set, every request asks for an address never asked before (a parameter no
-- page reads), so no kept page can answer it: the cost of a search nobody has run yet.
if os.getenv("BENCH_FRESH") then
  local n = 0
  request = function()
    n = n + 1
    return wrk.format(nil, wrk.path .. "&fresh=" .. n .. "-" .. math.random(1000000000))
  end
end
