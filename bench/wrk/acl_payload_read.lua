-- (e) GET /v1/secrets/{id}/payload of secrets owned by ANOTHER project, allowed only by the
-- secret's read ACL naming the user (how Octavia's service user reads a tenant's TLS key).
-- Rotates over pre-created ids like get_payload.lua; sends X-Roles: member.
-- usage: wrk -t1 -c16 -d30s -s acl_payload_read.lua URL -- <reader-project-id> <user-id> <ids-file>
--        (env WRK_LUA_DIR = dir of ../shared/reference/wrk/common.lua, whose report() prints RESULT)
-- ids-file: one secret uuid (or full href) per line.
local ids, n, i = {}, 0, 0
local project, user

function init(args)
  project = args[1] or "wrk-bench-reader"
  user = args[2] or "bench-svc"
  local common = dofile((os.getenv("WRK_LUA_DIR") or ".") .. "/common.lua")
  for _, line in ipairs(common.read_lines(assert(args[3], "ids file required"))) do
    ids[#ids + 1] = line:match("([0-9a-f%-]+)$")
  end
  n = #ids
  assert(n > 0, "no ids")
  i = math.random(n) - 1
end

function request()
  i = (i % n) + 1
  return wrk.format("GET", "/v1/secrets/" .. ids[i] .. "/payload",
                    { ["X-Project-Id"] = project, ["X-User-Id"] = user, ["X-Roles"] = "member",
                      ["Accept"] = "application/octet-stream" })
end

done = function(summary, latency, requests)
  dofile((os.getenv("WRK_LUA_DIR") or ".") .. "/common.lua").report("acl_payload_read")(summary, latency, requests)
end
