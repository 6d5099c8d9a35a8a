-- KubeVirt VirtualMachine, from its Paused and Ready conditions and status.printableStatus.
-- Paused=True -> Suspended "Paused"; an error printableStatus (ErrorUnschedulable,
-- ErrImagePull, ImagePullBackOff, CrashLoopBackOff, ErrorPvcNotFound, DataVolumeError) ->
-- Degraded; Ready=True -> Healthy "Running"; Ready not True: the VMI exists (status.created)
-- -> Progressing "Starting", otherwise the VM is stopped -> Suspended "Stopped".
-- No Ready condition yet -> Progressing.

local errors = {
  ErrorUnschedulable = true,
  ErrImagePull = true,
  ImagePullBackOff = true,
  CrashLoopBackOff = true,
  ErrorPvcNotFound = true,
  DataVolumeError = true,
}

local status = obj.status
if status == nil then
  return {status = "Progressing", message = "No status available"}
end

local ready = nil
for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "Paused" and condition.status == "True" then
    return {status = "Suspended", message = "Paused"}
  end
  if condition.type == "Ready" then
    ready = condition
  end
end

if status.printableStatus ~= nil and errors[status.printableStatus] then
  return {status = "Degraded", message = status.printableStatus}
end
if ready == nil then
  return {status = "Progressing", message = "No status available"}
end
if ready.status == "True" then
  return {status = "Healthy", message = "Running"}
end
if status.created == true then
  return {status = "Progressing", message = "Starting"}
end
return {status = "Suspended", message = "Stopped"}
