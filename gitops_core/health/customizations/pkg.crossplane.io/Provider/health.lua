-- Crossplane package Provider, from its Installed and Healthy conditions.
-- Both True -> Healthy; otherwise -> Degraded (the package revision is not installed or not
-- healthy). The message is the two reasons, Installed's first ("ActivePackageRevision
-- HealthyPackageRevision"; a missing reason is left out). No conditions yet -> Progressing.

local conditions = nil
if obj.status ~= nil then
  conditions = obj.status.conditions
end
if conditions == nil then
  return {status = "Progressing", message = "Waiting for provider to be installed"}
end

local installed, healthy = false, false
local installedReason, healthyReason = "", ""
for _, condition in ipairs(conditions) do
  if condition.type == "Installed" then
    installed = condition.status == "True"
    installedReason = condition.reason or ""
  elseif condition.type == "Healthy" then
    healthy = condition.status == "True"
    healthyReason = condition.reason or ""
  end
end

local message = installedReason .. " " .. healthyReason
if installedReason == "" or healthyReason == "" then
  message = installedReason .. healthyReason
end
if installed and healthy then
  return {status = "Healthy", message = message}
end
return {status = "Degraded", message = message}
