#!/usr/bin/env bash
# The base image every service image starts FROM, made offline: Debian bookworm (minbase) by
# debootstrap from the machine's own Debian mirror, with python3 (3.11, as the project), its
# venv module and the CA certificates, imported with `docker import`. No registry is asked for
# an image, so it works where Docker Hub cannot be reached.
#
#   deploy/base-image/build.sh           # build it unless it exists (idempotent)
#   deploy/base-image/build.sh --force   # build it again
#
# Needs root, a running Docker engine and debootstrap (installed from Debian's packages when
# missing). The image is reused when it exists AND was made by this very script (its label
# `platform.base.recipe` holds the script's SHA-256), so an edited recipe builds a new one.
#
# The machine's CA bundle is copied in, so that pip inside `docker build` trusts whatever the
# build machine trusts (behind a TLS-inspecting proxy, that includes its CA). Images for production
# should be built on the production build host, whose CA bundle is then the one copied.
set -euo pipefail

IMAGE=${BASE_IMAGE:-patent-platform/base:bookworm-python3.11}
SUITE=bookworm
HERE=$(cd "$(dirname "$0")" && pwd)
RECIPE=$(sha256sum "$0" | cut -c1-16)
DOCKER=${DOCKER:-docker}

force=false
[ "${1:-}" = "--force" ] && force=true

if ! $force && [ "$($DOCKER image inspect -f '{{ index .Config.Labels "platform.base.recipe" }}' "$IMAGE" 2>/dev/null)" = "$RECIPE" ]; then
  echo "base image $IMAGE exists (recipe $RECIPE): reused"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "base image: debootstrap needs root" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq debootstrap; }
fi

# The Debian mirrors this machine's apt uses (deb822 sources, then the one-line format):
# `mirror debian` for the archive, `mirror debian-security` for the security updates.
mirror() {
  local uri
  uri=$( { grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}';
           grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'; } \
         | grep -E "/$1/?\$" | head -n1 || true)
  uri=${uri%/}
  echo "${uri:-http://deb.debian.org/$1}"
}
MIRROR=$(mirror debian)
SECURITY=$(mirror debian-security)

ROOT=$(mktemp -d /var/tmp/platform-base.XXXXXX)
cleanup() { rm -rf --one-file-system "$ROOT"; }
trap cleanup EXIT

echo "base image: debootstrap $SUITE from $MIRROR into $ROOT"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || { tail -n 40 "$ROOT.log" >&2; rm -f "$ROOT.log"; exit 1; }
rm -f "$ROOT.log"

# Slim: no documentation, manuals or translations, now and for packages installed later
# (filing's font) - the same paths Debian's own slim images leave out.
cat >"$ROOT/etc/dpkg/dpkg.cfg.d/01-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
find "$ROOT/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
rm -rf "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/locale/* "$ROOT"/usr/share/lintian/*
# apt keeps no package caches in the image (as Debian's own images are set up).
cat >"$ROOT/etc/apt/apt.conf.d/01-slim" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
EOF
# apt inside `docker build` (filing's font) reads the same mirror, with bookworm-updates and security.
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
EOF

# The machine's CA certificates: its bundle as is, and its local CAs so that a later
# update-ca-certificates (run by apt's triggers) keeps them.
if [ -d /usr/local/share/ca-certificates ]; then
  cp -a /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
fi
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"

rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/apt/archives/*.deb \
       "$ROOT"/var/log/* "$ROOT"/tmp/* "$ROOT"/root/.cache
: >"$ROOT/etc/machine-id"

echo "base image: importing as $IMAGE"
tar --numeric-owner -C "$ROOT" -c . | $DOCKER import \
  --change "LABEL platform.base.recipe=$RECIPE" \
  --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase with python3 and python3-venv\"" \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  - "$IMAGE" >/dev/null
echo "base image: $IMAGE ($($DOCKER image inspect -f '{{ .Size }}' "$IMAGE") bytes; $HERE)"
