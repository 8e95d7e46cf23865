#!/usr/bin/env bash
# Builds Beheer's container image FROM scratch: no base image is pulled.
#
#   deploy/build-image.sh [TAG] [BINARY]
#
# TAG defaults to localhost/beheer:latest. BINARY is a static beheer
# binary to use instead of building one (CGO_ENABLED=0). The engine is
# podman, or what CONTAINER_ENGINE names (buildah, docker).
set -euo pipefail
tag=${1:-localhost/beheer:latest}
binary=${2:-}
engine=${CONTAINER_ENGINE:-podman}
repo=$(cd "$(dirname "$0")/.." && pwd)
certs=/etc/ssl/certs/ca-certificates.crt

[ -r "$certs" ] || { echo "build-image: $certs is missing (apt-get install ca-certificates)" >&2; exit 1; }
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/data"

if [ -z "$binary" ]; then
	version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo dev)
	(cd "$repo" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" \
		-o "$ctx/rootfs/beheer" ./cmd/beheer)
else
	cp "$binary" "$ctx/rootfs/beheer"
fi
cp "$certs" "$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
# Names for the ids, so tools inside and outside show "beheer".
printf 'root:x:0:0:root:/:/sbin/nologin\nbeheer:x:65532:65532:Beheer:/data:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\nbeheer:x:65532:\n' >"$ctx/rootfs/etc/group"

# The docker format keeps HEALTHCHECK, which the OCI format has no field for.
case "$engine" in
docker) build=(docker build) ;;
*) build=("$engine" build --format docker) ;;
esac
"${build[@]}" -f "$repo/deploy/Containerfile" -t "$tag" "$ctx"
