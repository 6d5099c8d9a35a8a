-- Istio IstioOperator: the overall status.status the operator reports (Istio's
-- InstallStatus values, by name or by number). HEALTHY -> Healthy; UPDATING and RECONCILING ->
-- Progressing; ERROR and ACTION_REQUIRED -> Degraded; NONE -> Unknown (no component is
-- present). The messages are Istio's descriptions of those values. No status yet ->
-- Progressing.

local states = {
  NONE = {status = "Unknown", message = "Component is not present."},
  UPDATING = {status = "Progressing", message = "Component is being updated to a different version."},
  RECONCILING = {status = "Progressing", message = "Controller has started but not yet completed reconciliation loop for the component."},
  HEALTHY = {status = "Healthy", message = "Component is healthy."},
  ERROR = {status = "Degraded", message = "Component is in an error state."},
  ACTION_REQUIRED = {status = "Degraded", message = "Overlay error or major upgrade in progress that requires user action."},
}
local byNumber = {[0] = "NONE", [1] = "UPDATING", [2] = "RECONCILING", [3] = "HEALTHY", [4] = "ERROR", [5] = "ACTION_REQUIRED"}

if obj.status ~= nil and obj.status.status ~= nil then
  local value = obj.status.status
  if byNumber[value] ~= nil then
    value = byNumber[value]
  end
  if states[value] ~= nil then
    return states[value]
  end
  return {status = "Unknown", message = "Unknown IstioOperator status " .. tostring(value)}
end
return {status = "Progressing", message = "Waiting for Istio Control Plane"}
