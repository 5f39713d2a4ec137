# A task definition revision that runs $image in the container named $name: the input is
# `aws ecs describe-task-definition --include TAGS` (the latest revision of the family), the
# output what `aws ecs register-task-definition --cli-input-json` takes. Everything the API
# reports but does not accept back (ARN, revision, status, compatibilities, registeredAt/By,
# requiresAttributes, ...) is left out; empty fields are dropped; the tags are kept.
.tags as $tags
| .taskDefinition
| .containerDefinitions |= map(if .name == $name then .image = $image else . end)
| {family, taskRoleArn, executionRoleArn, networkMode, containerDefinitions, volumes,
   placementConstraints, requiresCompatibilities, cpu, memory, runtimePlatform,
   ephemeralStorage, pidMode, ipcMode, proxyConfiguration}
| with_entries(select(.value != null and .value != []))
| if ($tags // []) != [] then .tags = $tags else . end
