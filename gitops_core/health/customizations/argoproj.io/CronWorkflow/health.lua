-- Argo Workflows CronWorkflow: conditions written by the cron controller.
-- SubmissionError=True or SpecError=True -> Degraded (workflows cannot be started);
-- Completed=True -> Healthy (the schedule has finished). Otherwise the CronWorkflow is
-- scheduling normally -> Healthy.

if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.status == "True" then
      if condition.type == "SubmissionError" or condition.type == "SpecError" then
        return {status = "Degraded", message = condition.message}
      end
      if condition.type == "Completed" then
        return {status = "Healthy", message = condition.message}
      end
    end
  end
end
return {status = "Healthy", message = "CronWorkflow is healthy."}
