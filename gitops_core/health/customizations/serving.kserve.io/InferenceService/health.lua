-- KServe InferenceService, from status.modelStatus.transitionStatus and the conditions.
-- Stopped=True or annotation serving.kserve.io/stop=true -> Suspended. A transitionStatus
-- other than UpToDate/InProgress (BlockedByFailedLoad, InvalidSpec) -> Degraded; InProgress
-- or any Unknown condition -> Progressing; any False condition -> Degraded; all True ->
-- Healthy. The message lists the transition status ("0: transitionStatus | <value>") and
-- each unhealthy condition (" | <n>: <type> | <status>[ | <reason>][ | <message>]").
-- No status yet -> Progressing.

local metadata = obj.metadata or {}
if metadata.annotations ~= nil and metadata.annotations["serving.kserve.io/stop"] == "true" then
  return {status = "Suspended", message = "InferenceService is Stopped"}
end

local status = obj.status
if status == nil then
  return {status = "Progressing", message = "Waiting for InferenceService to report status"}
end

local parts = {}
local transitionDegraded, transitionProgressing = false, false
if status.modelStatus ~= nil and status.modelStatus.transitionStatus ~= nil then
  local transition = status.modelStatus.transitionStatus
  if transition ~= "UpToDate" then
    if transition == "InProgress" then
      transitionProgressing = true
    else
      transitionDegraded = true
    end
    table.insert(parts, "0: transitionStatus | " .. transition)
  end
end

local falseCount, unknownCount = 0, 0
for index, condition in ipairs(status.conditions or {}) do
  if condition.type == "Stopped" then
    if condition.status == "True" then
      return {status = "Suspended", message = "InferenceService is Stopped"}
    end
  elseif condition.status ~= "True" then
    if condition.status == "False" then
      falseCount = falseCount + 1
    else
      unknownCount = unknownCount + 1
    end
    local part = " | " .. index .. ": " .. tostring(condition.type) .. " | " .. tostring(condition.status)
    if condition.reason ~= nil and condition.reason ~= "" then
      part = part .. " | " .. condition.reason
    end
    if condition.message ~= nil and condition.message ~= "" then
      part = part .. " | " .. condition.message
    end
    table.insert(parts, part)
  end
end

local message = table.concat(parts)
if transitionDegraded then
  return {status = "Degraded", message = message}
end
if transitionProgressing or unknownCount > 0 then
  return {status = "Progressing", message = message}
end
if falseCount > 0 then
  return {status = "Degraded", message = message}
end
if status.conditions == nil or #status.conditions == 0 then
  return {status = "Progressing", message = "Waiting for InferenceService to report status"}
end
return {status = "Healthy", message = "InferenceService is healthy."}
