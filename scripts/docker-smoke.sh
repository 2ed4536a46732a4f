#!/usr/bin/env bash
# Builds the image and runs it for real, where a Docker daemon exists (npm test checks the same start
# command, environment and user without Docker: test/container.test.ts).
#   scripts/docker-smoke.sh            # build, start, wait until healthy, check the user, stop with SIGTERM
set -euo pipefail
cd "$(dirname "$0")/.."
docker info >/dev/null 2>&1 || { echo "no Docker daemon here: nothing to do" >&2; exit 2; }

tag="ostad-hatami-bot:smoke"
name="ostad-hatami-bot-smoke-$$"
docker build --tag "$tag" .
trap 'docker rm --force "$name" >/dev/null 2>&1 || true' EXIT

# No Telegram here: run the playground (NODE_ENV other than production), which answers /healthz like the bot.
docker run --detach --name "$name" --health-interval 2s --env NODE_ENV=development "$tag" >/dev/null

for _ in $(seq 1 60); do
  status="$(docker inspect --format '{{.State.Health.Status}}' "$name")"
  [ "$status" = healthy ] && break
  [ "$(docker inspect --format '{{.State.Running}}' "$name")" = true ] || { docker logs "$name"; exit 1; }
  sleep 1
done
[ "$status" = healthy ] || { echo "not healthy: $status" >&2; docker logs "$name"; exit 1; }

uid="$(docker exec "$name" id -u)"
[ "$uid" != 0 ] || { echo "runs as root" >&2; exit 1; }
[ "$(docker exec "$name" cat /proc/1/comm)" = node ] || { echo "PID 1 is not node" >&2; exit 1; }
docker exec "$name" test -w /data/users

docker stop --time 20 "$name" >/dev/null
code="$(docker inspect --format '{{.State.ExitCode}}' "$name")"
[ "$code" = 0 ] || { echo "exit code $code after SIGTERM" >&2; docker logs "$name"; exit 1; }
echo "image ok: healthy, uid $uid, node is PID 1, exit 0 on SIGTERM"
