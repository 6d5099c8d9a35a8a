-- cert-manager Certificate.
-- Issuing=True is looked at first: a (re)issuance is running -> Progressing, even when Ready is
-- still True or already False. Then Ready=False -> Degraded, Ready=True -> Healthy, both with
-- the condition message. No conditions yet -> Progressing "Waiting for certificate".

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

for _, condition in ipairs(conditions) do
  if condition.type == "Issuing" and condition.status == "True" then
    return {status = "Progressing", message = condition.message}
  end
end
for _, condition in ipairs(conditions) do
  if condition.type == "Ready" and condition.status == "False" then
    return {status = "Degraded", message = condition.message}
  end
  if condition.type == "Ready" and condition.status == "True" then
    return {status = "Healthy", message = condition.message}
  end
end
return {status = "Progressing", message = "Waiting for certificate"}
