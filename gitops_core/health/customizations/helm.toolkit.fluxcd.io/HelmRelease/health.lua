-- Flux HelmRelease, from the kstatus-style conditions Flux documents.
-- spec.suspend=true -> Suspended "HelmRelease is suspended". Ready=False -> Degraded (also while
-- Flux retries with Reconciling=True); Reconciling=True or Ready=Unknown -> Progressing;
-- status.observedGeneration behind metadata.generation -> Progressing (the new spec is not
-- reconciled yet); Ready=True -> Healthy. The message is the Ready condition's reason.
-- No conditions yet -> Progressing.

local spec = obj.spec or {}
local status = obj.status or {}

if spec.suspend == true then
  return {status = "Suspended", message = obj.kind .. " is suspended"}
end

local ready = nil
local reconciling = false
for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Reconciling" and condition.status == "True" then
    reconciling = true
  end
end

if ready == nil then
  return {status = "Progressing", message = "Waiting for reconciliation"}
end
local reason = ready.reason
if reason == nil then
  reason = ""
end
if ready.status == "False" then
  return {status = "Degraded", message = reason}
end
if reconciling or ready.status ~= "True" then
  return {status = "Progressing", message = reason}
end
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  return {status = "Progressing", message = "Waiting for generation " .. generation .. " to be reconciled"}
end
return {status = "Healthy", message = reason}
