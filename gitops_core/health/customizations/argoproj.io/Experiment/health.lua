-- Argo Rollouts Experiment: status.phase decides.
-- Pending/Running -> Progressing, Successful -> Healthy, Failed/Error -> Degraded.
-- No status yet -> Progressing. An unknown phase gives no verdict (empty health).

local status = obj.status
if status == nil then
  return {status = "Progressing", message = "Waiting for experiment to finish: status has not been reconciled."}
end

local phase = status.phase
if phase == "Pending" then
  return {status = "Progressing", message = "Experiment is pending"}
elseif phase == "Running" then
  return {status = "Progressing", message = "Experiment is running"}
elseif phase == "Successful" then
  return {status = "Healthy", message = "Experiment is successful"}
elseif phase == "Failed" then
  return {status = "Degraded", message = "Experiment has failed"}
elseif phase == "Error" then
  return {status = "Degraded", message = "Experiment had an error"}
end
return {}
