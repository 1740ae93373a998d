-- wrk script: a new address on every request (user1@DOMAIN, user2@DOMAIN, ...), so no answer is ever repeated.
-- The domain comes from the first script argument: wrk ... -s distinct-address.lua URL -- ec.example
local domain, n = "example.com", 0
function init(args)
  domain = args[1] or domain
  n = math.random(1, 1000000000)
end
function request()
  n = n + 1
  return wrk.format("GET", "/mobileconfig?emailaddress=user" .. n .. "@" .. domain)
end
