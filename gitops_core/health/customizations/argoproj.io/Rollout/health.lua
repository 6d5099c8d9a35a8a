-- Argo Rollouts Rollout.
-- Progressing while the controller has not observed the latest spec (numeric
-- status.observedGeneration behind metadata.generation, or the referenced workload's generation
-- annotation not yet reflected in status.workloadObservedGeneration).
-- Rollouts v1.0+ report status.phase/status.message: the phase is surfaced as is, except that
-- Paused becomes Suspended. Older controllers: InvalidSpec, RolloutAborted and
-- ProgressDeadlineExceeded conditions are Degraded; pause conditions or spec.paused are
-- Suspended; then replica counts, blue-green cutover and canary steps decide between
-- Progressing and Healthy.

local function num(value)
  if value == nil then
    return 0
  end
  return value
end

local function result(status, message)
  return {status = status, message = message}
end

local status = obj.status
local spec = obj.spec or {}
local metadata = obj.metadata or {}

if status == nil then
  return result("Progressing", "Waiting for rollout spec update to be observed")
end

-- A numeric observedGeneration is a v0.10+ controller; a hash (v0.9 and older) cannot lag.
local observed = tonumber(status.observedGeneration)
local generation = tonumber(metadata.generation)
if observed ~= nil and generation ~= nil and observed < generation then
  return result("Progressing", "Waiting for rollout spec update to be observed")
end
if spec.workloadRef ~= nil and metadata.annotations ~= nil then
  local wanted = tonumber(metadata.annotations["rollout.argoproj.io/workload-generation"])
  if wanted ~= tonumber(status.workloadObservedGeneration) then
    return result("Progressing", "Waiting for rollout spec update to be observed")
  end
end

-- Rollout phases are Argo CD statuses already, except Paused.
local phases = {Healthy = true, Progressing = true, Degraded = true, Suspended = true}
if status.phase ~= nil then
  local phase = status.phase
  if phase == "Paused" then
    phase = "Suspended"
  end
  if not phases[phase] then
    return result("Unknown", "Rollout phase " .. tostring(phase) .. " is not known")
  end
  return result(phase, status.message)
end

for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "InvalidSpec" then
    return result("Degraded", condition.message)
  end
  if condition.type == "Progressing" and
      (condition.reason == "RolloutAborted" or condition.reason == "ProgressDeadlineExceeded") then
    return result("Degraded", condition.message)
  end
end

if (status.pauseConditions ~= nil and #status.pauseConditions > 0) or spec.paused == true then
  return result("Suspended", "Rollout is paused")
end

if status.currentPodHash == nil then
  return result("Progressing", "Waiting for rollout to finish: status has not been reconciled.")
end

local strategy = spec.strategy or {}
if num(status.updatedReplicas) < num(spec.replicas) then
  return result("Progressing", "Waiting for roll out to finish: More replicas need to be updated")
end
-- Blue-green may keep old replicas during its scale-down delay; only canary waits for them.
if strategy.canary ~= nil and num(status.replicas) > num(status.updatedReplicas) then
  return result("Progressing", "Waiting for roll out to finish: old replicas are pending termination")
end
if num(status.availableReplicas) < num(status.updatedReplicas) then
  return result("Progressing",
    "Waiting for roll out to finish: updated replicas are still becoming available")
end

local stableRS = status.stableRS
if stableRS == nil and status.canary ~= nil then
  stableRS = status.canary.stableRS
end

if strategy.blueGreen ~= nil then
  local activeSelector = status.activeSelector
  if status.blueGreen ~= nil and status.blueGreen.activeSelector ~= nil then
    activeSelector = status.blueGreen.activeSelector
  end
  if activeSelector ~= status.currentPodHash then
    return result("Progressing", "active service cutover pending")
  end
  if stableRS ~= nil and stableRS ~= status.currentPodHash then
    return result("Progressing", "waiting for analysis to complete")
  end
elseif strategy.canary ~= nil then
  local steps = strategy.canary.steps
  if steps ~= nil and #steps > 0 and status.currentStepIndex ~= nil and
      status.currentStepIndex < #steps then
    return result("Progressing", "Waiting for rollout to finish steps")
  end
end

return result("Healthy", "")
