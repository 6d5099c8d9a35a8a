-- Kubeflow Spark Operator SparkApplication, from status.applicationState.state.
-- RUNNING -> Healthy once enough executors run: exactly spec.executor.instances, or a count
-- inside the dynamic-allocation range (spec.dynamicAllocation, or the spark.dynamicAllocation.*
-- / spark.streaming.dynamicAllocation.* sparkConf keys), or at least one when neither is set;
-- otherwise Progressing "Waiting for Executor pods". COMPLETED -> Healthy; FAILED,
-- SUBMISSION_FAILED and FAILING -> Degraded (with applicationState.errorMessage);
-- "", SUBMITTED, PENDING_RERUN, INVALIDATING, SUCCEEDING -> Progressing; UNKNOWN -> Unknown.

local spec = obj.spec or {}
local executor = spec.executor or {}
local huge = 2 ^ 1024

local function rangeFromConf(prefix)
  local conf = spec.sparkConf
  if conf == nil or conf[prefix .. ".enabled"] ~= "true" then
    return nil
  end
  local low = tonumber(conf[prefix .. ".minExecutors"]) or 0
  local high = tonumber(conf[prefix .. ".maxExecutors"]) or huge
  return {low, high}
end

local function executorRange()
  local dynamic = spec.dynamicAllocation
  if dynamic ~= nil and dynamic.enabled == true then
    return {tonumber(dynamic.minExecutors) or 0, tonumber(dynamic.maxExecutors) or huge}
  end
  return rangeFromConf("spark.streaming.dynamicAllocation") or rangeFromConf("spark.dynamicAllocation")
end

local function failure(state, default)
  if state.errorMessage ~= nil and state.errorMessage ~= "" then
    return {status = "Degraded", message = state.errorMessage}
  end
  return {status = "Degraded", message = default}
end

local waiting = {status = "Progressing", message = "Waiting for Executor pods"}
local status = obj.status
if status == nil or status.applicationState == nil or status.applicationState.state == nil then
  return waiting
end

local state = status.applicationState
local value = state.state
if value == "RUNNING" then
  local running = 0
  for _, executorState in pairs(status.executorState or {}) do
    if executorState == "RUNNING" then
      running = running + 1
    end
  end
  local healthy = {status = "Healthy", message = "SparkApplication is Running"}
  if executor.instances ~= nil and executor.instances == running then
    return healthy
  end
  local range = executorRange()
  if range ~= nil then
    if running >= range[1] and running <= range[2] then
      return healthy
    end
  elseif spec.dynamicAllocation == nil and executor.instances == nil and running >= 1 then
    return healthy
  end
  return waiting
elseif value == "COMPLETED" then
  return {status = "Healthy", message = "SparkApplication was Completed"}
elseif value == "FAILED" then
  return failure(state, "SparkApplication failed")
elseif value == "SUBMISSION_FAILED" then
  return failure(state, "SparkApplication submission failed")
elseif value == "FAILING" then
  return failure(state, "SparkApplication is failing")
elseif value == "" then
  return {status = "Progressing", message = "SparkApplication was added, enqueuing it for submission"}
elseif value == "SUBMITTED" then
  return {status = "Progressing", message = "SparkApplication was submitted successfully"}
elseif value == "PENDING_RERUN" then
  return {status = "Progressing", message = "SparkApplication is Pending Rerun"}
elseif value == "INVALIDATING" then
  return {status = "Progressing", message = "SparkApplication is Invalidating"}
elseif value == "SUCCEEDING" then
  return {status = "Progressing", message = "SparkApplication is Succeeding"}
end
return {status = "Unknown", message = "SparkApplication state is " .. tostring(value)}
