-- External Secrets Operator ClusterExternalSecret.
-- Ready=True -> Healthy (it wins: PartiallyReady may linger beside it); otherwise
-- PartiallyReady=True or NotReady=True -> Degraded with the condition message (some or all
-- namespaces failed); no verdict yet -> Progressing.

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

for _, condition in ipairs(conditions) do
  if condition.type == "Ready" and condition.status == "True" then
    return {status = "Healthy", message = condition.message}
  end
end
for _, condition in ipairs(conditions) do
  if (condition.type == "PartiallyReady" or condition.type == "NotReady") and condition.status == "True" then
    return {status = "Degraded", message = condition.message}
  end
  if condition.type == "Ready" and condition.status == "False" then
    return {status = "Degraded", message = condition.message}
  end
end
return {status = "Progressing", message = "Waiting for ClusterExternalSecret"}
