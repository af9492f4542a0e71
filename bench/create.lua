-- wrk script: POST 1 KiB ConfigMaps with unique names (cm-<thread>-<n>), bearer token from
-- $HARU_TOKEN, data value length from $HARU_PAD. Used by `bench/run.sh create`.
local token = os.getenv("HARU_TOKEN") or ""
local pad = string.rep("x", tonumber(os.getenv("HARU_PAD") or "812"))
local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
                 ["Accept"] = "application/json"}
local counter = 0
local nextid = 0

function setup(thread)
  thread:set("tid", nextid)
  nextid = nextid + 1
end

function request()
  counter = counter + 1
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-' .. (tid or 0) .. '-' ..
      counter .. '"},"data":{"payload":"' .. pad .. '"}}'
  return wrk.format("POST", nil, headers, body)
end
