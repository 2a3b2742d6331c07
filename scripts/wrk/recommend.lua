-- wrk: GET recommendations for a random sample-shop user (u0 .. u<USERS-1>).
local users = tonumber(os.getenv("USERS") or "50000")
local scene = os.getenv("SCENE") or "home"
math.randomseed(42)
request = function()
  local u = math.random(0, users - 1)
  return wrk.format("GET", "/v1/users/u" .. u .. "/recommendations?count=10&scene=" .. scene)
end
