-- Elastic Cloud on Kubernetes Elasticsearch, from status.phase, status.health and
-- status.availableNodes. Phase Ready: health red -> Degraded; fewer available nodes than the
-- nodeSets ask for -> Progressing; green -> Healthy; yellow (replicas unassigned) ->
-- Progressing; other health -> Unknown. Phase Invalid -> Degraded; ApplyingChanges,
-- MigratingData and other phases -> Progressing. No status yet -> Progressing.

local status = obj.status
if status == nil or (status.phase == nil and status.health == nil) then
  return {status = "Progressing", message = "Waiting for Elasticsearch"}
end

local phase = status.phase
if phase == "Ready" then
  if status.health == "red" then
    return {status = "Degraded", message = "Elasticsearch Cluster status is Red. Check the status of indices, replicas and shards"}
  end
  local desired = 0
  if obj.spec ~= nil and obj.spec.nodeSets ~= nil then
    for _, nodeSet in ipairs(obj.spec.nodeSets) do
      desired = desired + (tonumber(nodeSet.count) or 0)
    end
  end
  local available = tonumber(status.availableNodes) or 0
  if available < desired then
    return {status = "Progressing", message = "The desired amount of availableNodes is " .. desired .. " but the current amount is " .. available}
  end
  if status.health == "green" then
    return {status = "Healthy", message = "Elasticsearch Cluster status is Green"}
  end
  if status.health == "yellow" then
    return {status = "Progressing", message = "Elasticsearch Cluster status is Yellow. Check the status of indices, replicas and shards"}
  end
  return {status = "Unknown", message = "Elasticsearch Cluster status is unknown. Check the status of indices, replicas and shards"}
end
if phase == "Invalid" then
  return {status = "Degraded", message = "Elasticsearch phase is Invalid"}
end
if phase == nil then
  return {status = "Progressing", message = "Waiting for Elasticsearch"}
end
return {status = "Progressing", message = "Elasticsearch phase is " .. phase}
