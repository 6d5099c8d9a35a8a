-- Knative Serving Service, from the Knative condition set (Ready, ConfigurationsReady,
-- RoutesReady). Every condition that is not True is described on its own line:
-- "<type> is <status>[, since <reason>.][ <message>]". Any False -> Degraded; any Unknown ->
-- Progressing (e.g. a gradual rollout); Ready=True and nothing else pending -> Healthy.
-- No conditions yet -> Progressing.

local conditions = nil
if obj.status ~= nil then
  conditions = obj.status.conditions
end
if conditions == nil or #conditions == 0 then
  return {status = "Progressing", message = "Waiting for status update."}
end

local lines = {}
local anyFalse, anyUnknown, ready = false, false, false
for _, condition in ipairs(conditions) do
  if condition.status == "True" then
    if condition.type == "Ready" then
      ready = true
    end
  else
    local line = tostring(condition.type) .. " is " .. tostring(condition.status)
    if condition.reason ~= nil and condition.reason ~= "" then
      line = line .. ", since " .. condition.reason .. "."
    end
    if condition.message ~= nil and condition.message ~= "" then
      line = line .. " " .. condition.message
    end
    table.insert(lines, line .. "\n")
    if condition.status == "False" then
      anyFalse = true
    else
      anyUnknown = true
    end
  end
end

local message = table.concat(lines)
if anyFalse then
  return {status = "Degraded", message = message}
end
if anyUnknown or not ready then
  if message == "" then
    message = "Waiting for status update."
  end
  return {status = "Progressing", message = message}
end
return {status = "Healthy", message = "Knative Service is healthy."}
