-- One signed paid webhook per request, each payment's once; past the end the
-- list starts again (those copies must come back as duplicates).
local bodies, signatures = {}, {}
for line in io.lines("webhooks.tsv") do
  local signature, body = line:match("^(%x+)\t(.*)$")
  signatures[#signatures + 1] = signature
  bodies[#bodies + 1] = body
end
local i = 0

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["crypto-pay-api-signature"] = signatures[i],
  }, bodies[i])
end
