-- Argo CD ApplicationSet: conditions written by the ApplicationSet controller.
-- ErrorOccurred=True or ResourcesUpToDate=False -> Degraded (generation or apply failed);
-- RolloutProgressing=True -> Progressing (a progressive sync is rolling out a step);
-- ResourcesUpToDate=True -> Healthy. Anything else -> Progressing, waiting for status.

local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

for _, condition in ipairs(conditions) do
  if condition.type == "ErrorOccurred" and condition.status == "True" then
    return {status = "Degraded", message = condition.message}
  end
  if condition.type == "ResourcesUpToDate" and condition.status == "False" then
    return {status = "Degraded", message = condition.message}
  end
end
for _, condition in ipairs(conditions) do
  if condition.type == "RolloutProgressing" and condition.status == "True" then
    return {status = "Progressing", message = condition.message}
  end
end
for _, condition in ipairs(conditions) do
  if condition.type == "ResourcesUpToDate" and condition.status == "True" then
    return {status = "Healthy", message = condition.message}
  end
end
return {status = "Progressing", message = "Waiting for the status to be reported"}
