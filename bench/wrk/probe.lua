-- A paced latency probe: each connection waits 20 ms between requests, so the probe
-- measures latency without taking the CPU that the measured load needs.
function delay()
  return 20
end
