-- wrk script: autoconfig GET with an address at a domain picked at random from a file of domains (one a line),
-- so that lookups spread over the whole table instead of hitting one cached entry.
-- wrk ... -s random-domain.lua URL -- FILE
local domains, n = {}, 0
function init(args)
  for line in io.lines(args[1]) do n = n + 1; domains[n] = line end
  math.randomseed(os.time() + math.random(1, 100000))
end
function request()
  local d = domains[math.random(1, n)]
  return wrk.format("GET", "/mail/config-v1.1.xml?emailaddress=user" .. math.random(1, 1000000) .. "@" .. d)
end
