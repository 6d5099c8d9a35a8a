-- Argo Events EventBus: the Deployed and Configured conditions.
-- Any of them False -> Degraded with its message; Deployed=True -> Healthy with its message;
-- otherwise Progressing while the controller sets the bus up.

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

for _, condition in ipairs(conditions) do
  if (condition.type == "Deployed" or condition.type == "Configured") and condition.status == "False" then
    local message = condition.message
    if message == nil or message == "" then
      message = "EventBus condition " .. condition.type .. " is False"
    end
    return {status = "Degraded", message = message}
  end
end
for _, condition in ipairs(conditions) do
  if condition.type == "Deployed" and condition.status == "True" then
    local message = condition.message
    if message == nil or message == "" then
      message = "EventBus is deployed"
    end
    return {status = "Healthy", message = message}
  end
end
return {status = "Progressing", message = "Waiting for EventBus to be deployed"}
