-- RabbitMQ Cluster Operator RabbitmqCluster, from its conditions.
-- ReconcileSuccess=False -> Degraded with its message (bad spec or operator error).
-- AllReplicasReady or ClusterAvailable Unknown -> Progressing (readiness not known yet);
-- ClusterAvailable=False -> Progressing (cluster forming); AllReplicasReady=False ->
-- Progressing (pods starting); both True -> Healthy. No conditions -> Progressing.

local byType = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "ReconcileSuccess" and condition.status == "False" then
      local message = condition.message
      if message == nil or message == "" then
        message = "RabbitMQ cluster reconciliation failed: " .. tostring(condition.reason)
      end
      return {status = "Degraded", message = message}
    end
    if condition.type ~= nil then
      byType[condition.type] = condition.status
    end
  end
end

local available, replicas = byType.ClusterAvailable, byType.AllReplicasReady
if available == "Unknown" or replicas == "Unknown" then
  return {status = "Progressing", message = "Waiting for RabbitMQ cluster readiness (conditions unknown)"}
end
if available == "False" then
  return {status = "Progressing", message = "Waiting for RabbitMQ cluster formation"}
end
if replicas == "False" then
  return {status = "Progressing", message = "Waiting for RabbitMQ cluster readiness"}
end
if available == "True" and replicas == "True" then
  return {status = "Healthy", message = "RabbitMQ cluster ready"}
end
return {status = "Progressing", message = "Waiting for RabbitMQ Operator"}
