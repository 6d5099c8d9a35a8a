-- OpenTelemetry Operator OpenTelemetryCollector.
-- spec.mode sidecar -> Healthy (the collector runs inside other pods, nothing to count).
-- Otherwise status.scale.statusReplicas ("<ready>/<total>"): all ready -> Healthy, none ready
-- -> Degraded, some -> Progressing. No replica status yet -> Progressing. (The count is read
-- without the string library: the text is compared with "<n>/<total>" for n = 0..total.)

local spec = obj.spec or {}
if spec.mode == "sidecar" then
  return {status = "Healthy", message = "Collector is running in sidecar mode"}
end

local scale = nil
if obj.status ~= nil then
  scale = obj.status.scale
end
if scale == nil or scale.statusReplicas == nil then
  return {status = "Progressing", message = "Waiting for collector replicas to be reported"}
end

local text = scale.statusReplicas
local totals = {}
if tonumber(scale.replicas) ~= nil then
  table.insert(totals, tonumber(scale.replicas))
end
if tonumber(spec.replicas) ~= nil then
  table.insert(totals, tonumber(spec.replicas))
end
for _, total in ipairs(totals) do
  for ready = 0, total do
    if text == ready .. "/" .. total then
      if ready == total then
        return {status = "Healthy", message = "All replicas are ready"}
      end
      if ready == 0 then
        return {status = "Degraded", message = "No replicas are ready"}
      end
      return {status = "Progressing", message = text .. " replicas are ready"}
    end
  end
end
return {status = "Progressing", message = "Replicas ready: " .. text}
