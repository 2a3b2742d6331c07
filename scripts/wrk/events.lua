-- wrk: POST batches of BATCH events (random users and items of the sample shop).
local users = tonumber(os.getenv("USERS") or "50000")
local items = tonumber(os.getenv("ITEMS") or "20000")
local batch = tonumber(os.getenv("BATCH") or "1")
local kinds = {"view", "view", "view", "click", "add_to_cart", "purchase"}
math.randomseed(7)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local parts = {}
  for k = 1, batch do
    parts[k] = string.format('{"user_id":"u%d","item_id":"i%d","kind":"%s"}',
      math.random(0, users - 1), math.random(0, items - 1), kinds[math.random(1, #kinds)])
  end
  local body
  if batch == 1 then body = parts[1] else body = '{"events":[' .. table.concat(parts, ",") .. ']}' end
  return wrk.format(nil, "/v1/events", nil, body)
end
