-- wrk script: PUT /store/items, each request a key of its own (replacing
-- after 100000), a value with words for the full-text index.
local words = {"kubernetes", "rollback", "deployment", "postgres", "backup", "latency", "canary", "incident",
               "runbook", "terraform", "alert", "quota", "migration", "cache", "timeout", "replica"}
local counter = 0
request = function()
  counter = counter + 1
  local a, b, c = words[counter % 16 + 1], words[(counter * 7) % 16 + 1], words[(counter * 13) % 16 + 1]
  local body = string.format('{"namespace":["bench","t%d"],"key":"k%d","value":{"title":"%s %s","body":"%s notes %d"}}',
                             counter % 50, counter % 100000, a, b, c, counter)
  return wrk.format("PUT", "/store/items", {["Content-Type"] = "application/json"}, body)
end
