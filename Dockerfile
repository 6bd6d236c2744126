# The ananas worker image: Debian 12's runtime libraries of the binary and the
# binary, nothing else (no shell, no package manager), run as user 10001 and
# fit for a read-only root filesystem (it writes no files).
#
#   podman build -t ananas:0.1.0 .            # or docker build; compiles inside
#
# CI (tests/deploy/image_test.sh) builds `--target prebuilt` from a context
# holding only this file and the `ananas` it built already: the same runtime
# stage, only the binary's origin differs.

# Every shared library the binary loads, with the libraries those load
# (ldd), copied into /rootfs with the CA certificates and the time zone
# database (SQL time zones). The package list is the Debian 12 runtime
# counterpart of scripts/install-deps.sh's -dev packages; a missing library
# fails tests/deploy/image_test.sh's run.
FROM debian:bookworm AS runtime-files
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libcaf-core0.17 libcaf-io0.17 librdkafka1 librdkafka++1 libyaml-cpp0.7 \
      libprometheus-cpp-core1.0 libsimdjson14 libcpp-httplib0.11 ca-certificates tzdata >/dev/null \
 && mkdir -p /rootfs/usr/lib /rootfs/usr/lib64 /rootfs/usr/bin /rootfs/etc/ssl/certs /rootfs/usr/share /rootfs/tmp \
 && ln -s usr/lib /rootfs/lib && ln -s usr/lib64 /rootfs/lib64 && ln -s usr/bin /rootfs/bin \
 && chmod 1777 /rootfs/tmp \
 && for pkg in libcaf-core0.17 libcaf-io0.17 librdkafka1 librdkafka++1 libyaml-cpp0.7 \
               libprometheus-cpp-core1.0 libsimdjson14 libcpp-httplib0.11; do \
      dpkg -L "$pkg" | grep '\.so[.0-9]*$' | while read -r lib; do echo "$lib"; ldd "$lib" | awk '/=>/ {print $3} !/=>/ && $1 ~ /^\// {print $1}'; done; \
    done | sort -u | while read -r lib; do \
      dest="/rootfs$(readlink -f "$(dirname "$lib")")"; mkdir -p "$dest"; cp -L "$lib" "$dest/"; \
    done \
 && cp -L /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && cp -a /usr/share/zoneinfo /rootfs/usr/share/ \
 && echo 'ananas:x:10001:10001::/nonexistent:/usr/sbin/nologin' > /rootfs/etc/passwd \
 && echo 'ananas:x:10001:' > /rootfs/etc/group

FROM scratch AS runtime
COPY --from=runtime-files /rootfs /
USER 10001:10001
EXPOSE 8083
ENTRYPOINT ["/usr/bin/ananas"]
CMD ["run", "--config", "/etc/ananas/config/worker.yaml", "/etc/ananas/pipelines/"]

# CI: the binary built outside (tests/deploy/image_test.sh puts it in the context).
FROM runtime AS prebuilt
COPY ananas /usr/bin/ananas

# The binary compiled from this source tree, with the packages CI builds with.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN bash scripts/install-deps.sh --build
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DANANAS_BUILD_TESTS=OFF -DANANAS_BUILD_BENCH=OFF \
 && cmake --build /build --target ananas \
 && strip /build/ananas

FROM runtime
COPY --from=build /build/ananas /usr/bin/ananas
