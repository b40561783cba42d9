-- GET /v1/secrets?limit=10&offset=N: a page deep into the project's list (bench/scale.sh).
-- usage: wrk -t1 -c16 -d10s -s list_offset.lua URL -- <project-id> <offset>
--        (env WRK_LUA_DIR = dir of ../shared/reference/wrk/common.lua, whose report() prints RESULT)
function init(args)
  wrk.method = "GET"
  wrk.path = "/v1/secrets?limit=10&offset=" .. assert(args[2], "offset required")
  wrk.headers["Accept"] = "application/json"
  wrk.headers["X-Project-Id"] = args[1] or "wrk-bench"
end

done = function(summary, latency, requests)
  dofile((os.getenv("WRK_LUA_DIR") or ".") .. "/common.lua").report("list_offset")(summary, latency, requests)
end
