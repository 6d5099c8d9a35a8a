-- Karpenter NodeClaim, following its lifecycle conditions Launched -> Registered ->
-- Initialized -> Ready. Ready=False or Launched=False -> Degraded with the condition message;
-- Ready=True -> Healthy; otherwise Progressing, naming the step reached so far.

local byType = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type ~= nil then
      byType[condition.type] = condition
    end
  end
end

local function isTrue(conditionType)
  return byType[conditionType] ~= nil and byType[conditionType].status == "True"
end

local function failure(condition, default)
  if condition.message ~= nil and condition.message ~= "" then
    return {status = "Degraded", message = condition.message}
  end
  if condition.reason ~= nil and condition.reason ~= "" then
    return {status = "Degraded", message = default .. ": " .. condition.reason}
  end
  return {status = "Degraded", message = default}
end

if byType.Ready ~= nil and byType.Ready.status == "False" then
  return failure(byType.Ready, "NodeClaim is not ready")
end
if isTrue("Ready") then
  return {status = "Healthy", message = "NodeClaim is ready"}
end
if byType.Launched ~= nil and byType.Launched.status == "False" then
  return failure(byType.Launched, "NodeClaim failed to launch")
end
if isTrue("Initialized") then
  return {status = "Progressing", message = "Node initialized, waiting for Ready"}
end
if isTrue("Registered") then
  return {status = "Progressing", message = "Node registered, waiting for initialization"}
end
if isTrue("Launched") then
  return {status = "Progressing", message = "Node launched, waiting for registration"}
end
return {status = "Progressing", message = "Waiting for NodeClaim to be launched"}
