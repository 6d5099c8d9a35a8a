-- CSI VolumeSnapshot (external-snapshotter). status.readyToUse=true -> Healthy;
-- status.error set -> Degraded with its message; otherwise the snapshot is being taken ->
-- Progressing.

local status = obj.status
if status ~= nil then
  if status.readyToUse == true then
    return {status = "Healthy", message = "Ready to use"}
  end
  if status.error ~= nil then
    local message = status.error.message
    if message == nil or message == "" then
      message = "VolumeSnapshot failed"
    end
    return {status = "Degraded", message = message}
  end
end
return {status = "Progressing", message = "Waiting for status"}
