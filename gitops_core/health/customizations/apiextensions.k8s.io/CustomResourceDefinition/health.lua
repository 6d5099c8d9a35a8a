-- Kubernetes CustomResourceDefinition, from the conditions the API server sets.
-- Being deleted, or Terminating=True -> Progressing; NamesAccepted=False -> Degraded (name
-- conflict); Established not True -> Degraded (not served); NonStructuralSchema=True ->
-- Degraded (schema violations); otherwise Healthy. No conditions -> Progressing.

local function text(value)
  if value == nil then
    return ""
  end
  return value
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  return {status = "Progressing", message = "CRD is terminating"}
end

local conditions = nil
if obj.status ~= nil then
  conditions = obj.status.conditions
end
if conditions == nil or #conditions == 0 then
  return {status = "Progressing", message = "Status conditions not found"}
end

local terminating, namesRejected, established, violations
for _, condition in ipairs(conditions) do
  if condition.type == "Terminating" and condition.status == "True" then
    terminating = condition
  elseif condition.type == "NamesAccepted" and condition.status == "False" then
    namesRejected = condition
  elseif condition.type == "Established" and condition.status == "True" then
    established = condition
  elseif condition.type == "NonStructuralSchema" and condition.status == "True" then
    violations = condition
  end
end

if terminating ~= nil then
  return {status = "Progressing", message = "CRD is terminating: " .. text(terminating.message)}
end
if namesRejected ~= nil then
  return {status = "Degraded", message = "CRD names have not been accepted: " .. text(namesRejected.message)}
end
if established == nil then
  return {status = "Degraded", message = "CRD is not established"}
end
if violations ~= nil then
  return {status = "Degraded", message = "Schema violations found: " .. text(violations.message)}
end
return {status = "Healthy", message = "CRD is healthy"}
