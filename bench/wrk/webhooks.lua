-- One authenticated webhook per request, each payment's once; past the end the
-- list starts again (those copies must come back as duplicates). Each line is
-- "<header value>\t<body>"; the header is WEBHOOK_HEADER (Crypto Pay's signature,
-- or Telegram's secret token).
local header = os.getenv("WEBHOOK_HEADER") or "crypto-pay-api-signature"
local bodies, values = {}, {}
for line in io.lines("webhooks.tsv") do
  local value, body = line:match("^([^\t]+)\t(.*)$")
  values[#values + 1] = value
  bodies[#bodies + 1] = body
end
local i = 0

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    [header] = values[i],
  }, bodies[i])
end
