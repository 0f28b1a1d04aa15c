-- wrk script for tests/bench/feeds.sh (calendar feeds against nginx).
--
--   wrk ... -s feeds.lua URL -- get
--       wrk's plain GET of URL (the 200 path)
--   wrk ... -s feeds.lua URL -- inm ETAG
--       GET with If-None-Match: ETAG on every request (the 304 path)
--
-- No response() callback (it would slow wrk down); feeds.sh checks each
-- path with curl before timing it, and the bytes read per request tell a
-- run of 304s (headers only) from one of 200s (headers and the feed).
--
-- done() prints one line that feeds.sh reads:
--   BENCH requests=N duration_us=N rps=X bytes=N lat_avg_us=X lat_p50_us=N
--         lat_p99_us=N lat_max_us=N status_errors=N socket_errors=N
-- status_errors is wrk's own "Non-2xx or 3xx responses" count (status > 399).

function init(args)
   local mode = args[1] or "get"
   if mode == "inm" then
      if not args[2] then
         error("feeds.lua: inm needs the ETag")
      end
      wrk.headers["If-None-Match"] = args[2]
   elseif mode ~= "get" then
      error("feeds.lua: mode must be get or inm, not " .. tostring(mode))
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.1f bytes=%d lat_avg_us=%.1f " ..
      "lat_p50_us=%d lat_p99_us=%d lat_max_us=%d status_errors=%d " ..
      "socket_errors=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6), summary.bytes,
      latency.mean, latency:percentile(50), latency:percentile(99),
      latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
