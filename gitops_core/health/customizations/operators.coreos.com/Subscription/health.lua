-- Operator Lifecycle Manager Subscription, from its conditions and status.state.
-- CatalogSourcesUnhealthy, InstallPlanFailed or ResolutionFailed True, InstallPlanMissing True
-- (unless the reason is ReferencedInstallPlanNotFound) or state UpgradeFailed -> Degraded;
-- else InstallPlanPending True, no state yet, or state UpgradeAvailable / UpgradePending ->
-- Progressing; else (AtLatestKnown) -> Healthy. The message lists every condition as
-- "<n>: <type> | <status>" and then the state, one per line. No conditions -> Progressing.

local status = obj.status
if status == nil or status.conditions == nil then
  return {status = "Progressing", message = "An install plan for a subscription is pending installation"}
end

local lines = {}
local degraded, pending = 0, 0
for index, condition in ipairs(status.conditions) do
  table.insert(lines, index .. ": " .. tostring(condition.type) .. " | " .. tostring(condition.status) .. "\n")
  if condition.status == "True" then
    if condition.type == "InstallPlanPending" then
      pending = pending + 1
    elseif condition.type == "CatalogSourcesUnhealthy" or condition.type == "InstallPlanFailed" or condition.type == "ResolutionFailed" then
      degraded = degraded + 1
    elseif condition.type == "InstallPlanMissing" and condition.reason ~= "ReferencedInstallPlanNotFound" then
      degraded = degraded + 1
    end
  end
end

local state = status.state
if state == nil then
  pending = pending + 1
  table.insert(lines, ".status.state not yet known\n")
else
  if state == "" or state == "UpgradeAvailable" or state == "UpgradePending" then
    pending = pending + 1
  elseif state == "UpgradeFailed" then
    degraded = degraded + 1
  end
  table.insert(lines, ".status.state is '" .. state .. "'\n")
end

local message = table.concat(lines)
if degraded > 0 then
  return {status = "Degraded", message = message}
end
if pending > 0 then
  return {status = "Progressing", message = message}
end
return {status = "Healthy", message = message}
