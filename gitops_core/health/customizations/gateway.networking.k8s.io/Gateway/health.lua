-- Gateway API Gateway, from the Accepted and Programmed conditions (Gateway API v1).
-- Conditions whose observedGeneration is older than metadata.generation are stale and ignored.
-- Accepted=False -> Degraded; Programmed=False -> Degraded when the reason is Invalid, else
-- Progressing (addresses or data plane still being set up); Accepted=True with Programmed True
-- or absent -> Healthy "Gateway is healthy". Nothing current yet -> Progressing.

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

local accepted, programmed = nil, nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    local stale = generation ~= nil and condition.observedGeneration ~= nil and condition.observedGeneration < generation
    if not stale then
      if condition.type == "Accepted" then
        accepted = condition
      elseif condition.type == "Programmed" then
        programmed = condition
      end
    end
  end
end

local function messageOf(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return "Gateway condition " .. condition.type .. " is " .. tostring(condition.status) .. " (" .. (condition.reason or "no reason") .. ")"
end

if accepted ~= nil and accepted.status == "False" then
  return {status = "Degraded", message = messageOf(accepted)}
end
if programmed ~= nil and programmed.status == "False" then
  if programmed.reason == "Invalid" then
    return {status = "Degraded", message = messageOf(programmed)}
  end
  return {status = "Progressing", message = messageOf(programmed)}
end
if accepted ~= nil and accepted.status == "True" and (programmed == nil or programmed.status == "True") then
  return {status = "Healthy", message = "Gateway is healthy"}
end
if accepted ~= nil and accepted.status ~= "True" then
  return {status = "Progressing", message = messageOf(accepted)}
end
if programmed ~= nil and programmed.status ~= "True" then
  return {status = "Progressing", message = messageOf(programmed)}
end
return {status = "Progressing", message = "Waiting for Gateway status"}
