-- Cluster API MachineDeployment, from status.phase.
-- spec.paused=true -> Suspended. Running -> Healthy; ScalingUp / ScalingDown -> Progressing;
-- Failed -> Degraded; no phase yet or an unknown phase -> Progressing.

local spec = obj.spec or {}
local status = obj.status or {}

if spec.paused == true then
  return {status = "Suspended", message = "MachineDeployment is paused"}
end

local phase = status.phase
if phase == "Running" then
  return {status = "Healthy", message = "Machines are running under this deployment"}
elseif phase == "ScalingUp" then
  return {status = "Progressing", message = "Cluster is spawning machines"}
elseif phase == "ScalingDown" then
  return {status = "Progressing", message = "Cluster is stopping machines"}
elseif phase == "Failed" then
  return {status = "Degraded", message = "MachineDeployment is failed"}
end
return {status = "Progressing", message = "Waiting for machines"}
