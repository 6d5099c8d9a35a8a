-- Gateway API GatewayClass, from the Accepted condition its controller sets.
-- A condition whose observedGeneration differs from metadata.generation is stale and ignored.
-- Accepted=True -> Healthy, Accepted=False -> Degraded (e.g. unsupported parameters),
-- Accepted=Unknown -> Progressing (no controller has picked it up), each with the condition
-- message. No current Accepted condition -> Progressing "Waiting for GatewayClass status".

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    local stale = generation ~= nil and condition.observedGeneration ~= nil and condition.observedGeneration ~= generation
    if condition.type == "Accepted" and not stale then
      local message = condition.message
      if message == nil or message == "" then
        message = "GatewayClass Accepted is " .. tostring(condition.status)
      end
      if condition.status == "True" then
        return {status = "Healthy", message = message}
      elseif condition.status == "False" then
        return {status = "Degraded", message = message}
      end
      return {status = "Progressing", message = message}
    end
  end
end
return {status = "Progressing", message = "Waiting for GatewayClass status"}
