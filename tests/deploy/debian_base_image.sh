#!/usr/bin/env bash
# Makes the Dockerfile's base image, debian:bookworm, without a container
# registry: a minimal Debian 12 root filesystem from the machine's own Debian
# mirror (debootstrap), imported under the name `FROM debian:bookworm`
# resolves to. Does nothing when podman already has that image (the second
# test of a CI run, or a machine that ran it before).
#   tests/deploy/debian_base_image.sh
set -euo pipefail
image=docker.io/library/debian:bookworm
if podman image exists "$image"; then
  echo "debian_base_image: $image present"
  exit 0
fi

# The mirror apt already uses (deb822 .sources or one-line sources.list).
mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

rootfs=$(mktemp -d /tmp/ananas-debian-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 20 "$rootfs.log" >&2
  rm -f "$rootfs.log"
  exit 1
}
rm -f "$rootfs.log"
# As the registry's image: no package lists or caches.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$image" >/dev/null
echo "debian_base_image: $image made from $mirror"
