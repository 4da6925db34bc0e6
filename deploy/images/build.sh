#!/usr/bin/env bash
# Build the platform's images: patent-platform/<service>:<tag> for identity, filing, review,
# reporting, notify, gateway and portal, each from services/<service>/Dockerfile with the repository's
# root as the build context, with the legacy builder (no BuildKit), FROM the offline base image.
#
#   deploy/images/build.sh                  # all seven, tag `local`
#   TAG=0.1.0 deploy/images/build.sh filing # one image, another tag
#
# Needs a running Docker engine (tests/containers/docker.sh starts one). Layers stay in the
# engine's store as the cache of the next build: a change of code rebuilds only the last layers
# (dependencies are installed from the pyproject files alone first). An image that lost its
# tag to a newer build is removed; `docker image prune` clears the rest of the cache.
set -euo pipefail
cd "$(dirname "$0")/../.."

SERVICES=(identity filing review reporting notify gateway portal)
TAG=${TAG:-local}
REGISTRY=${REGISTRY:-patent-platform}
DOCKER=${DOCKER:-docker}
export BASE_IMAGE=${BASE_IMAGE:-patent-platform/base:bookworm-python3.11}
LOGS=${LOGS:-$(mktemp -d /tmp/platform-image-build.XXXXXX)}
mkdir -p "$LOGS"

[ $# -gt 0 ] && SERVICES=("$@")
DOCKER=$DOCKER deploy/base-image/build.sh

for service in "${SERVICES[@]}"; do
  [ -f "services/$service/Dockerfile" ] || { echo "no services/$service/Dockerfile" >&2; exit 2; }
  started=$(date +%s)
  if ! DOCKER_BUILDKIT=0 $DOCKER build --force-rm --network host --build-arg BASE_IMAGE="$BASE_IMAGE" \
        -f "services/$service/Dockerfile" -t "$REGISTRY/$service:$TAG" . >"$LOGS/$service.log" 2>&1; then
    tail -n 60 "$LOGS/$service.log" >&2
    echo "image $REGISTRY/$service:$TAG did not build (log: $LOGS/$service.log)" >&2
    exit 1
  fi
  size=$($DOCKER image inspect -f '{{ .Size }}' "$REGISTRY/$service:$TAG")
  echo "image $REGISTRY/$service:$TAG: $((size / 1000000)) MB, built in $(( $(date +%s) - started )) s"
done
# Final images that a newer build of the same tag replaced (builder stages stay: the cache).
$DOCKER image prune --force --filter label=platform.service >/dev/null
