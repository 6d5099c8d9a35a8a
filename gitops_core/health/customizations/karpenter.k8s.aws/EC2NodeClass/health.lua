-- Karpenter EC2NodeClass, from its Ready root condition (Karpenter's status-condition convention:
-- Ready summarises the other conditions). Ready=False -> Degraded with the condition message;
-- Ready=True -> Healthy; Ready=Unknown or missing -> Progressing.

local ready = nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end

if ready ~= nil and ready.status == "False" then
  local message = ready.message
  if message == nil or message == "" then
    message = "EC2NodeClass is not ready"
    if ready.reason ~= nil and ready.reason ~= "" then
      message = message .. ": " .. ready.reason
    end
  end
  return {status = "Degraded", message = message}
end
if ready ~= nil and ready.status == "True" then
  return {status = "Healthy", message = "EC2NodeClass is ready"}
end
return {status = "Progressing", message = "Waiting for EC2NodeClass to be ready"}
