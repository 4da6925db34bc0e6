#!/usr/bin/env bash
# What `make test-containers` needs on the machine besides the venv: Debian's Docker engine
# (docker.io: dockerd, containerd, runc; the tests start dockerd themselves when none runs)
# and debootstrap (for the offline base image). Installed from Debian's packages when missing.
set -euo pipefail
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "containers: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
