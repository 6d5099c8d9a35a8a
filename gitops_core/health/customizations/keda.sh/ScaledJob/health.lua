-- KEDA ScaledJob, from the conditions KEDA documents (Ready, Active, Fallback, Paused).
-- Ready=False (bad trigger or target) or Fallback=True (scalers failing, fallback replicas in
-- use) -> Degraded; Paused=True -> Suspended (autoscaling.keda.sh/paused); Ready=True ->
-- Healthy. Each uses the deciding condition's message. No verdict yet -> Progressing.

local degraded, paused, ready = nil, nil, nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" and degraded == nil then
      degraded = condition
    elseif condition.type == "Fallback" and condition.status == "True" and degraded == nil then
      degraded = condition
    elseif condition.type == "Paused" and condition.status == "True" then
      paused = condition
    elseif condition.type == "Ready" and condition.status == "True" then
      ready = condition
    end
  end
end

local function messageOr(condition, default)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return default
end

if degraded ~= nil then
  return {status = "Degraded", message = messageOr(degraded, "ScaledJob is not ready")}
end
if paused ~= nil then
  return {status = "Suspended", message = messageOr(paused, "ScaledJob is paused")}
end
if ready ~= nil then
  return {status = "Healthy", message = messageOr(ready, "ScaledJob is ready")}
end
return {status = "Progressing", message = "Waiting for ScaledJob"}
