-- Sealed Secrets SealedSecret: the Synced condition set by the controller after decryption.
-- Synced=False -> Degraded with the error; Synced=True -> Healthy; no status or no Synced
-- condition yet -> Progressing (not decrypted yet).

if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Synced" and condition.status == "False" then
      return {status = "Degraded", message = condition.message}
    end
    if condition.type == "Synced" and condition.status == "True" then
      return {status = "Healthy", message = condition.message}
    end
  end
end
return {status = "Progressing", message = "Waiting for Sealed Secret to be decrypted"}
