#!/usr/bin/env bash
# Build the platform's images: patent-platform/<image>:<tag> for identity, filing, review,
# reporting, notify, gateway and portal, all from the one deploy/images/Dockerfile, with the
# build arguments and target of each image from deploy/images/images.conf, the repository's root
# as the build context, the legacy builder (no BuildKit), FROM the offline base image.
#
#   deploy/images/build.sh                  # all seven, tag `local`
#   TAG=0.1.0 deploy/images/build.sh filing # one image, another tag
#
# Needs a running Docker engine (tests/containers/engine.sh installs one). Layers stay in the
# engine's store as the cache of the next build: a change of code rebuilds only the last layers
# (the shared library's dependencies are installed from its pyproject alone first, one layer for
# all seven images). An image that lost its tag to a newer build is removed; `docker image prune`
# clears the rest of the cache.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGES_FILE=deploy/images/images.conf
TAG=${TAG:-local}
REGISTRY=${REGISTRY:-patent-platform}
DOCKER=${DOCKER:-docker}
export BASE_IMAGE=${BASE_IMAGE:-patent-platform/base:bookworm-python3.11}
LOGS=${LOGS:-$(mktemp -d /tmp/platform-image-build.XXXXXX)}
mkdir -p "$LOGS"

# Each image's line of images.conf: image packages port cjk_font description…
declare -A LINES=()
ORDER=()
while read -r image rest; do
  LINES[$image]=$rest
  ORDER+=("$image")
done < <(grep -v -E '^\s*(#|$)' "$IMAGES_FILE")

wanted=("${ORDER[@]}")
[ $# -gt 0 ] && wanted=("$@")
for image in "${wanted[@]}"; do
  [ -n "${LINES[$image]+set}" ] || { echo "no image $image in $IMAGES_FILE" >&2; exit 2; }
done
DOCKER=$DOCKER deploy/base-image/build.sh

for image in "${wanted[@]}"; do
  read -r packages port cjk_font description <<<"${LINES[$image]}"
  started=$(date +%s)
  if ! DOCKER_BUILDKIT=0 $DOCKER build --force-rm --network host -f deploy/images/Dockerfile --target "$image" \
        --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg PACKAGES="$packages" --build-arg PORT="$port" \
        --build-arg CJK_FONT="$cjk_font" --build-arg SERVICE="$image" --build-arg DESCRIPTION="$description" \
        -t "$REGISTRY/$image:$TAG" . >"$LOGS/$image.log" 2>&1; then
    tail -n 60 "$LOGS/$image.log" >&2
    echo "image $REGISTRY/$image:$TAG did not build (log: $LOGS/$image.log)" >&2
    exit 1
  fi
  size=$($DOCKER image inspect -f '{{ .Size }}' "$REGISTRY/$image:$TAG")
  echo "image $REGISTRY/$image:$TAG: $((size / 1000000)) MB, built in $(( $(date +%s) - started )) s"
done
# Final images that a newer build of the same tag replaced, and the other images' stages that
# --target passed through (builder stages stay: the cache).
$DOCKER image prune --force --filter label=platform.service >/dev/null
