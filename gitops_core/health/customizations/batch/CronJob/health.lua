-- Kubernetes CronJob (batch). Argo CD checks CronJobs in Lua, and so do we.
-- spec.suspend=true -> Healthy "CronJob is Suspended" (Argo CD's deliberate choice: a suspended
-- schedule is not a problem). Never scheduled -> Healthy. The last run did not succeed
-- (status.lastSuccessfulTime missing or older than status.lastScheduleTime; RFC 3339 strings
-- compare as text): a job still active -> Healthy with a caveat, otherwise -> Degraded.
-- Otherwise -> Healthy "CronJob has completed its last execution successfully".

local spec = obj.spec or {}
local status = obj.status or {}

if spec.suspend == true then
  return {status = "Healthy", message = "CronJob is Suspended"}
end

if status.lastScheduleTime == nil then
  return {status = "Healthy", message = "CronJob has not been scheduled yet"}
end

local running = status.active ~= nil and #status.active > 0
local lastFailed = status.lastSuccessfulTime == nil or status.lastScheduleTime > status.lastSuccessfulTime
if lastFailed then
  if running then
    return {status = "Healthy", message = "The job is running. Its last execution may not have been successful"}
  end
  return {status = "Degraded", message = "CronJob has not completed its last execution successfully"}
end
return {status = "Healthy", message = "CronJob has completed its last execution successfully"}
