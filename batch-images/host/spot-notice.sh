#!/bin/bash
# prover-burst: forwards EC2's two-minute Spot interruption notice to the agent containers as SIGUSR2.
#
# Runs on each Batch instance (a systemd service the launch template's user data installs). EC2 posts the notice to
# IMDS at spot/instance-action (EC2 user guide, "Spot Instance interruption notices": poll every 5 seconds). The agent
# containers cannot read IMDS themselves: the launch template keeps the hop limit at 1 so they cannot borrow the
# instance role. ECS's own Spot draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING) leaves standalone tasks, which Batch jobs
# are, running (ECS developer guide, "Draining container instances"), so it stops new placements but never tells the
# agent. This script does: on the notice it sends SIGUSR2 to every ECS task container (tini forwards it to node).
# Not SIGTERM, which TerminateJob and the shutdown send too: on SIGUSR2 the agent takes no new job, finishes the proof
# in hand when it fits before the interruption and hands it back otherwise (core/agent/interruptionNotice.ts), instead
# of losing it with the instance (batch-images/agent/spotNoticeSignal.ts).
#
# IMDS_ENDPOINT, SPOT_POLL_SECONDS and DOCKER exist for the test (test/integration/spotNotice.test.ts).
set -u
imds="${IMDS_ENDPOINT:-http://169.254.169.254}"
interval="${SPOT_POLL_SECONDS:-5}"
docker="${DOCKER:-docker}"

# Each container is told once (the notice stays up in IMDS until the interruption).
signalled=' '
while true; do
  token="$(curl --silent --fail --max-time 2 --request PUT "$imds/latest/api/token" \
    --header 'X-aws-ec2-metadata-token-ttl-seconds: 60')" || token=''
  if [ -n "$token" ] && notice="$(curl --silent --fail --max-time 2 \
    --header "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/spot/instance-action")"; then
    # ECS labels every task container with its task ARN; the ECS agent's own container has no such label.
    for container in $("$docker" ps --quiet --filter label=com.amazonaws.ecs.task-arn); do
      case "$signalled" in *" $container "*) continue ;; esac
      echo "prover-burst spot notice ${notice}: SIGUSR2 to container ${container}"
      "$docker" kill --signal USR2 "$container" >/dev/null || true
      signalled="${signalled}${container} "
    done
  fi
  sleep "$interval"
done
