# `aws ecs describe-tasks` (one task) → "<exit code of the container $name> <stopped reason>";
# "none" when the container never ran (the image could not be pulled, a secret not read).
.tasks[0] as $t
| ($t.containers[] | select(.name == $name)) as $c
| "\($c.exitCode // "none") \($t.stoppedReason // "")"
