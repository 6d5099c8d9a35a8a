-- Flagger Canary, from status.phase. Failed -> Degraded; Initializing, Waiting,
-- Progressing, WaitingPromotion, Promoting, Finalising and Terminating -> Progressing;
-- Initialized, Succeeded and Terminated -> Healthy; an unknown phase -> Unknown. The message is
-- "<phase> --- [Canary Weight: <n> % --- ]<condition messages joined by ' --- '>".
-- No status yet -> Progressing.

local status = obj.status
if status == nil or status.phase == nil then
  return {status = "Progressing", message = "Waiting for Canary to be initialized"}
end

local separator = " --- "
local parts = {}
local weight = tonumber(status.canaryWeight)
if weight ~= nil and weight > 0 then
  table.insert(parts, "Canary Weight: " .. weight .. " %")
end
for _, condition in ipairs(status.conditions or {}) do
  if condition.message ~= nil then
    table.insert(parts, condition.message)
  end
end
local message = status.phase .. separator .. table.concat(parts, separator)

local verdicts = {
  Failed = "Degraded",
  Initializing = "Progressing",
  Waiting = "Progressing",
  Progressing = "Progressing",
  WaitingPromotion = "Progressing",
  Promoting = "Progressing",
  Finalising = "Progressing",
  Terminating = "Progressing",
  Initialized = "Healthy",
  Succeeded = "Healthy",
  Terminated = "Healthy",
}
return {status = verdicts[status.phase] or "Unknown", message = message}
