-- Google Config Connector (every group ending in .cnrm.cloud.google.com).
-- ConfigConnector / ConfigConnectorContext report status.healthy: stale observedGeneration ->
-- Progressing, healthy=true -> Healthy, healthy=false -> Degraded with the first error.
-- Resources: the Ready condition's reason decides. UpToDate (True) -> Healthy; UpdateFailed,
-- DeleteFailed or DependencyNotFound -> Degraded; DependencyNotReady -> Suspended (waits on
-- another resource); anything else -> Progressing "Update in progress". Condition messages are
-- surfaced.

local inProgress = {status = "Progressing", message = "Update in progress"}
local status = obj.status
if status == nil then
  return inProgress
end

if obj.kind == "ConfigConnector" or obj.kind == "ConfigConnectorContext" then
  local generation = obj.metadata ~= nil and obj.metadata.generation or nil
  if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
    return inProgress
  end
  if status.healthy == true then
    return {status = "Healthy", message = obj.kind .. " is healthy"}
  end
  if status.healthy == false then
    if status.errors ~= nil and #status.errors > 0 then
      return {status = "Degraded", message = status.errors[1]}
    end
    return {status = "Degraded", message = obj.kind .. " is unhealthy"}
  end
  return inProgress
end

for _, condition in ipairs(status.conditions or {}) do
  if condition.reason == "UpToDate" and condition.status == "True" then
    return {status = "Healthy", message = condition.message}
  end
  if condition.reason == "UpdateFailed" or condition.reason == "DeleteFailed" or condition.reason == "DependencyNotFound" then
    return {status = "Degraded", message = condition.message}
  end
  if condition.reason == "DependencyNotReady" then
    return {status = "Suspended", message = condition.message}
  end
end
return inProgress
