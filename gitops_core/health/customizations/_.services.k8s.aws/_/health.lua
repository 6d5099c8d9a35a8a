-- AWS Controllers for Kubernetes (every group ending in .services.k8s.aws), from the ACK
-- conditions. ACK.Terminal=True (needs a spec change) or ACK.Recoverable=True (an error the
-- controller retries) -> Degraded with the condition message; ACK.ResourceSynced=False or
-- Ready=False -> Progressing with the condition message; ACK.ResourceSynced=True (or Ready=True)
-- -> Healthy. No conditions yet -> Progressing.

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

local function messageOr(condition, default)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return default
end

for _, condition in ipairs(conditions) do
  if (condition.type == "ACK.Terminal" or condition.type == "ACK.Recoverable") and condition.status == "True" then
    return {status = "Degraded", message = messageOr(condition, condition.type)}
  end
end
local synced = false
for _, condition in ipairs(conditions) do
  if (condition.type == "ACK.ResourceSynced" or condition.type == "Ready") then
    if condition.status == "True" then
      synced = true
    else
      return {status = "Progressing", message = messageOr(condition, "Waiting for resource to be synced")}
    end
  end
end
if synced then
  return {status = "Healthy", message = ""}
end
return {status = "Progressing", message = "Waiting for resource to be ready"}
