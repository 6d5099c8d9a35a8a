-- Upbound provider families (every group ending in .upbound.io): crossplane-runtime
-- managed resources, so the Crossplane conventions (Synced/Ready conditions) apply.
-- Kinds that never get a status (Composition, CompositionRevision, ProviderConfig,
-- DeploymentRuntimeConfig, ControllerConfig, ProviderConfigUsage, ...) -> Healthy while
-- their status is empty; a ProviderConfig with status.users is in use -> Healthy.
-- Synced=False or LastAsyncOperation=False -> Degraded with the condition message (the
-- provider cannot reconcile the external resource). Ready, Healthy, Offered, Established,
-- ValidPipeline or RevisionHealthy True -> Healthy "Resource is up-to-date.".
-- Otherwise -> Progressing "Provisioning ...".

local staticKinds = {
  ClusterProviderConfig = true,
  Composition = true,
  CompositionRevision = true,
  ControllerConfig = true,
  DeploymentRuntimeConfig = true,
  EnvironmentConfig = true,
  ProviderConfig = true,
  ProviderConfigUsage = true,
  ClusterProviderConfigUsage = true,
  Usage = true,
}
local healthyTypes = {
  Ready = true,
  Healthy = true,
  Offered = true,
  Established = true,
  ValidPipeline = true,
  RevisionHealthy = true,
}
local upToDate = {status = "Healthy", message = "Resource is up-to-date."}
local provisioning = {status = "Progressing", message = "Provisioning ..."}

local status = obj.status
if (status == nil or next(status) == nil) and staticKinds[obj.kind] then
  return upToDate
end
if status == nil or status.conditions == nil or #status.conditions == 0 then
  if status ~= nil and status.users ~= nil and (obj.kind == "ProviderConfig" or obj.kind == "ClusterProviderConfig") then
    return {status = "Healthy", message = "Resource is in use."}
  end
  if staticKinds[obj.kind] then
    return upToDate
  end
  return provisioning
end

for _, condition in ipairs(status.conditions) do
  if (condition.type == "Synced" or condition.type == "LastAsyncOperation") and condition.status == "False" then
    return {status = "Degraded", message = condition.message}
  end
end
for _, condition in ipairs(status.conditions) do
  if healthyTypes[condition.type] and condition.status == "True" then
    return upToDate
  end
end
return provisioning
