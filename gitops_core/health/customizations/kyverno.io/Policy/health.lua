-- Kyverno Policy: the Ready condition (Kyverno 1.7+) or the older status.ready flag.
-- Ready=True or ready=true -> Healthy; Ready=False -> Degraded with the condition message
-- (the policy could not be loaded); nothing yet -> Progressing.

local status = obj.status
if status ~= nil then
  for _, condition in ipairs(status.conditions or {}) do
    if condition.type == "Ready" and condition.status == "True" then
      return {status = "Healthy", message = "Policy is ready"}
    end
    if condition.type == "Ready" and condition.status == "False" then
      local message = condition.message
      if message == nil or message == "" then
        message = "Policy is not ready"
      end
      return {status = "Degraded", message = message}
    end
  end
  if status.ready == true then
    return {status = "Healthy", message = "Policy is ready"}
  end
end
return {status = "Progressing", message = "Waiting for Policy to be ready"}
