-- (d) POST /v1/containers: a generic container referencing 2 pre-created secrets of the same
-- project, by their full hrefs exactly as the server returned them (secret_ref).
-- usage: wrk -t1 -c16 -d30s -s container_create.lua URL -- <project-id> <refs-file>
--        (env WRK_LUA_DIR = dir of ../shared/reference/wrk/common.lua, whose report() prints RESULT)
-- refs-file: two lines, the secret_ref of each secret (created in <project-id>).
function init(args)
  local common = dofile((os.getenv("WRK_LUA_DIR") or ".") .. "/common.lua")
  local refs = common.read_lines(assert(args[2], "refs file required"))
  assert(#refs >= 2, "refs file needs 2 secret hrefs")
  wrk.method = "POST"
  wrk.path = "/v1/containers"
  wrk.body = '{"type":"generic","name":"bench","secret_refs":[' ..
             '{"name":"a","secret_ref":"' .. refs[1] .. '"},' ..
             '{"name":"b","secret_ref":"' .. refs[2] .. '"}]}'
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  wrk.headers["X-Project-Id"] = args[1] or "wrk-bench"
end

done = function(summary, latency, requests)
  dofile((os.getenv("WRK_LUA_DIR") or ".") .. "/common.lua").report("container_create")(summary, latency, requests)
end
