-- POST /auth/login with the seeded accounts, round robin.
local emails = {}
local file = io.open("accounts.json", "r")
for email in file:read("*a"):gmatch('"([^"]+)"') do emails[#emails + 1] = email end
file:close()
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local email = emails[(counter % #emails) + 1]
  return wrk.format(nil, nil, nil,
    '{"email":"' .. email .. '","password":"benchmark password 1"}')
end
