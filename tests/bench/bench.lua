-- wrk script for tests/bench/run.sh.
--
--   wrk ... -s bench.lua URL -- get
--       report only: the request is wrk's plain GET of URL
--   wrk ... -s bench.lua URL/api/session -- login EMAIL PASSWORD
--       POST {"email":EMAIL,"password":PASSWORD} as JSON on every request
--       and count each reply that is not exactly 200
--
-- done() prints one line that run.sh reads:
--   BENCH requests=N duration_us=N rps=X lat_avg_us=X lat_p50_us=N
--         lat_p99_us=N lat_max_us=N status_errors=N socket_errors=N non200=N
-- status_errors is wrk's own "Non-2xx or 3xx responses" count (status > 399);
-- non200 (login only) counts every status other than 200; -1 when not counted.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function json_string(s)
   s = s:gsub('[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == '\\' then return '\\\\' end
      return string.format('\\u%04x', c:byte())
   end)
   return '"' .. s .. '"'
end

function init(args)
   mode = args[1] or "get"
   non200 = 0
   if mode == "login" then
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
      wrk.body = '{"email":' .. json_string(args[2]) ..
         ',"password":' .. json_string(args[3]) .. '}'
      -- Defined only in login mode: a response() callback slows wrk down.
      response = function(status, headers, body)
         if status ~= 200 then
            non200 = non200 + 1
         end
      end
   elseif mode ~= "get" then
      error("bench.lua: mode must be get or login, not " .. tostring(mode))
   end
end

function done(summary, latency, requests)
   local counted = -1
   for _, thread in ipairs(threads) do
      if thread:get("mode") == "login" then
         counted = math.max(counted, 0) + thread:get("non200")
      end
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.1f lat_avg_us=%.1f " ..
      "lat_p50_us=%d lat_p99_us=%d lat_max_us=%d status_errors=%d " ..
      "socket_errors=%d non200=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency.mean, latency:percentile(50), latency:percentile(99),
      latency.max, e.status, e.connect + e.read + e.write + e.timeout,
      counted))
end
