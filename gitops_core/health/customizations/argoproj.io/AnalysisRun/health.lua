-- Argo Rollouts AnalysisRun: status.phase decides.
-- Pending/Running -> Progressing, Successful -> Healthy, Failed/Error -> Degraded,
-- Inconclusive -> Unknown (a human must judge the result). status.message wins over the default
-- text. No status yet -> Progressing. An unknown phase gives no verdict (empty health).

local function pick(message, default)
  if message ~= nil then
    return message
  end
  return default
end

local status = obj.status
if status == nil then
  return {status = "Progressing", message = "Waiting for analysis run to finish: status has not been reconciled."}
end

local phase = status.phase
if phase == "Pending" or phase == "Running" then
  return {status = "Progressing", message = pick(status.message, "Analysis run is running")}
elseif phase == "Successful" then
  return {status = "Healthy", message = pick(status.message, "Analysis run completed successfully")}
elseif phase == "Failed" then
  return {status = "Degraded", message = pick(status.message, "Analysis run failed")}
elseif phase == "Error" then
  return {status = "Degraded", message = pick(status.message, "Analysis run had an error")}
elseif phase == "Inconclusive" then
  return {status = "Unknown", message = pick(status.message, "Analysis run was inconclusive")}
end
return {}
