-- External Secrets Operator ExternalSecret: the Ready condition, as the controller documents it.
-- Ready=False -> Degraded with the condition message; Ready=True -> Healthy with its message;
-- no Ready condition yet (or no status) -> Progressing.

if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" then
      return {status = "Degraded", message = condition.message}
    end
    if condition.type == "Ready" and condition.status == "True" then
      return {status = "Healthy", message = condition.message}
    end
  end
end
return {status = "Progressing", message = "Waiting for ExternalSecret"}
