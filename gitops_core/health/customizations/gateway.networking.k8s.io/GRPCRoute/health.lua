-- Gateway API GRPCRoute, from the conditions each parent (Gateway) reports in status.parents.
-- Conditions whose observedGeneration differs from metadata.generation are stale and ignored.
-- Any parent with Accepted=False or ResolvedRefs=False -> Degraded, one line per problem:
-- "Parent <name>: <message>" ("Parent <name>: Failed condition: <type>" when the message is
-- empty). Otherwise a parent with Accepted=Unknown -> Progressing. No parent has reported
-- yet -> Progressing. Else -> Healthy "GRPCRoute is healthy".

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

local parents = {}
if obj.status ~= nil and obj.status.parents ~= nil then
  parents = obj.status.parents
end

local problems = {}
local waiting = {}
local reported = false
for _, parent in ipairs(parents) do
  local name = "unknown"
  if parent.parentRef ~= nil and parent.parentRef.name ~= nil then
    name = parent.parentRef.name
  end
  for _, condition in ipairs(parent.conditions or {}) do
    local stale = generation ~= nil and condition.observedGeneration ~= nil and condition.observedGeneration ~= generation
    if not stale then
      reported = true
      if (condition.type == "Accepted" or condition.type == "ResolvedRefs") and condition.status == "False" then
        if condition.message ~= nil and condition.message ~= "" then
          table.insert(problems, "Parent " .. name .. ": " .. condition.message)
        else
          table.insert(problems, "Parent " .. name .. ": Failed condition: " .. condition.type)
        end
      elseif condition.type == "Accepted" and condition.status == "Unknown" then
        table.insert(waiting, "Parent " .. name .. ": waiting to be accepted")
      end
    end
  end
end

if #problems > 0 then
  return {status = "Degraded", message = table.concat(problems, "\n")}
end
if #waiting > 0 then
  return {status = "Progressing", message = table.concat(waiting, "\n")}
end
if not reported then
  return {status = "Progressing", message = "Waiting for GRPCRoute to be accepted by a parent"}
end
return {status = "Healthy", message = "GRPCRoute is healthy"}
