-- Strimzi KafkaTopic, from the conditions the Strimzi operators document.
-- NotReady=True (older operators) or Ready=False -> Degraded with the condition message,
-- except reason Creating, which is Progressing; status.observedGeneration behind
-- metadata.generation -> Progressing (the operator has not reconciled the new spec);
-- Ready=True -> Healthy. No status or no Ready condition yet -> Progressing "Waiting for Kafka Topic".

local status = obj.status
if status == nil or status.conditions == nil then
  return {status = "Progressing", message = "Waiting for Kafka Topic"}
end

local function messageOf(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition.reason ~= nil then
    return condition.reason
  end
  return "KafkaTopic is not ready"
end

for _, condition in ipairs(status.conditions) do
  if (condition.type == "NotReady" and condition.status == "True") or (condition.type == "Ready" and condition.status == "False") then
    if condition.reason == "Creating" then
      return {status = "Progressing", message = messageOf(condition)}
    end
    return {status = "Degraded", message = messageOf(condition)}
  end
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  return {status = "Progressing", message = "Waiting for Kafka Topic: generation " .. generation .. " not reconciled yet"}
end

for _, condition in ipairs(status.conditions) do
  if condition.type == "Ready" and condition.status == "True" then
    return {status = "Healthy", message = ""}
  end
end
return {status = "Progressing", message = "Waiting for Kafka Topic"}
