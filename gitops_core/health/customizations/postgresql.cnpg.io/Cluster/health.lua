-- CloudNativePG Cluster.
-- Annotation cnpg.io/reconciliationLoop=disabled -> Suspended (reconciliation switched off by
-- the user). A cnpg.io/hibernation condition: True -> Suspended (hibernated), otherwise
-- Degraded (hibernation failed). Then status.phase (CNPG's phase texts): healthy state ->
-- Healthy; set-up, replica creation, upgrades, switchover, restarts and configuration changes
-- -> Progressing; failing over and errors that need a human -> Degraded; waiting for a
-- user-driven switchover -> Suspended; an unknown phase -> Progressing. The message is
-- status.phaseReason, or the phase when there is none. No status yet -> Progressing.

local phases = {
  ["Cluster in healthy state"] = "Healthy",
  ["Setting up primary"] = "Progressing",
  ["Creating a new replica"] = "Progressing",
  ["Upgrading cluster"] = "Progressing",
  ["Waiting for the instances to become active"] = "Progressing",
  ["Promoting to primary cluster"] = "Progressing",
  ["Switchover in progress"] = "Progressing",
  ["Upgrading Postgres major version"] = "Progressing",
  ["Primary instance is being restarted in-place"] = "Progressing",
  ["Primary instance is being restarted without a switchover"] = "Progressing",
  ["Online upgrade in progress"] = "Progressing",
  ["Applying configuration"] = "Progressing",
  ["Cluster upgrade delayed"] = "Suspended",
  ["Waiting for user action"] = "Suspended",
  ["Failing over"] = "Degraded",
  ["Unable to create required cluster objects"] = "Degraded",
  ["Cluster cannot execute instance online upgrade due to missing architecture binary"] = "Degraded",
  ["Cluster cannot proceed to reconciliation due to an unknown plugin being required"] = "Degraded",
  ["Cluster has incomplete or invalid image catalog"] = "Degraded",
  ["Cluster is unrecoverable and needs manual intervention"] = "Degraded",
  ["Not enough disk space"] = "Degraded",
}

local metadata = obj.metadata or {}
if metadata.annotations ~= nil and metadata.annotations["cnpg.io/reconciliationLoop"] == "disabled" then
  return {status = "Suspended", message = "Cluster reconciliation is suspended"}
end

local status = obj.status
if status == nil then
  return {status = "Progressing", message = "Waiting for the cluster to be created"}
end

for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "cnpg.io/hibernation" then
    local message = condition.message
    if message == nil or message == "" then
      message = "Cluster hibernation is " .. tostring(condition.status)
    end
    if condition.status == "True" then
      return {status = "Suspended", message = message}
    end
    if condition.status == "False" then
      return {status = "Degraded", message = message}
    end
  end
end

if status.phase == nil then
  return {status = "Progressing", message = "Waiting for the cluster to be created"}
end
local message = status.phaseReason
if message == nil or message == "" then
  message = status.phase
end
return {status = phases[status.phase] or "Progressing", message = message}
