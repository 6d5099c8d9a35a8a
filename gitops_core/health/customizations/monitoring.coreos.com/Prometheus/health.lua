-- Prometheus Operator Prometheus, from the Available and Reconciled conditions.
-- spec.paused=true -> Suspended (the operator stops reconciling). Reconciled=False -> Degraded
-- (the configuration could not be applied). Available=True -> Healthy; Available not True:
-- reason SomePodsNotReady -> Progressing, any other reason (NoPodReady, ...) -> Degraded,
-- with the condition message. No Available condition yet -> Progressing.

if obj.spec ~= nil and obj.spec.paused == true then
  return {status = "Suspended", message = "Prometheus reconciliation is paused"}
end

local available, reconciled = nil, nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Available" then
      available = condition
    elseif condition.type == "Reconciled" then
      reconciled = condition
    end
  end
end

local function messageOf(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return condition.reason or ("Condition " .. condition.type .. " is " .. tostring(condition.status))
end

if reconciled ~= nil and reconciled.status == "False" then
  return {status = "Degraded", message = messageOf(reconciled)}
end
if available == nil then
  return {status = "Progressing", message = "Waiting for initialization"}
end
if available.status == "True" then
  return {status = "Healthy", message = "All instances are available"}
end
if available.reason == "SomePodsNotReady" then
  return {status = "Progressing", message = messageOf(available)}
end
return {status = "Degraded", message = messageOf(available)}
