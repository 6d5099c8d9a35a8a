-- Cluster API Cluster.
-- spec.paused=true -> Suspended. Then status.phase: Provisioned -> Healthy, Failed -> Degraded,
-- any other phase (Pending, Provisioning, Deleting) -> Progressing. A Ready=False condition
-- overrides the phase -> Degraded with its message (e.g. the infrastructure provider's error).

local spec = obj.spec or {}
local status = obj.status or {}

if spec.paused == true then
  return {status = "Suspended", message = "Cluster is paused"}
end

for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "Ready" and condition.status == "False" then
    return {status = "Degraded", message = condition.message or ""}
  end
end

if status.phase == "Provisioned" then
  return {status = "Healthy", message = "Cluster is running"}
end
if status.phase == "Failed" then
  local message = ""
  if status.failureMessage ~= nil then
    message = status.failureMessage
  end
  return {status = "Degraded", message = message}
end
return {status = "Progressing", message = "Waiting for clusters"}
