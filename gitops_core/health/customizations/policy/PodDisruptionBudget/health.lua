-- Kubernetes PodDisruptionBudget (policy), from its DisruptionAllowed condition.
-- False with any reason but InsufficientPods (e.g. SyncFailed: the controller cannot compute
-- the budget) -> Degraded; False with InsufficientPods (too few healthy pods right now, as
-- during a rollout) -> Progressing; True -> Healthy. The message names the reason:
-- "PodDisruptionBudget has <reason>". No condition yet -> Progressing.

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

local function reasonOf(condition)
  if condition.reason ~= nil then
    return condition.reason
  end
  return condition.status
end

for _, condition in ipairs(conditions) do
  if condition.type == "DisruptionAllowed" and condition.status == "False" and condition.reason ~= "InsufficientPods" then
    return {status = "Degraded", message = "PodDisruptionBudget has " .. reasonOf(condition)}
  end
end
for _, condition in ipairs(conditions) do
  if condition.type == "DisruptionAllowed" and condition.status == "False" then
    return {status = "Progressing", message = "PodDisruptionBudget has " .. reasonOf(condition)}
  end
  if condition.type == "DisruptionAllowed" and condition.status == "True" then
    return {status = "Healthy", message = "PodDisruptionBudget has " .. reasonOf(condition)}
  end
end
return {status = "Progressing", message = "Waiting for PodDisruptionBudget status"}
