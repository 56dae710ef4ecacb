# agenthost in a container: the build stage makes the agenthost .deb (the
# package `make package` builds), the runtime stage installs it on a slim
# Debian with apt, which brings exactly the libraries its Depends name.
# Checked by tests/packaging/container_files_test.sh (not built there).
#
#   docker build -t agenthost .
#   docker run -p 8000:8000 -e AGENTHOST_ADMIN_KEY=... agenthost

FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
COPY . .
# tools/install-deps: the Debian build dependencies and the pinned npm tools
# (Swagger UI, ReDoc and the web console are compiled into the host).
RUN apt-get update \
 && tools/install-deps \
 && rm -rf /var/lib/apt/lists/*
# Only what the package holds (no tests); cpack then finds it built.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
 && cmake --build build --target agenthost_runtime -j"$(nproc)" \
 && cd build \
 && cpack -G DEB -D CPACK_COMPONENTS_ALL=runtime -B /packages

FROM debian:bookworm-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /packages/agenthost_*.deb /tmp/
# curl for the HEALTHCHECK; bubblewrap sandboxes plugin runners where the
# container may create user namespaces (else runners get rlimits only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/agenthost_*.deb bubblewrap curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /tmp/agenthost_*.deb \
 && useradd --system --uid 10001 --home-dir /var/lib/agenthost --create-home --shell /usr/sbin/nologin agenthost
USER 10001:10001
WORKDIR /var/lib/agenthost
VOLUME ["/var/lib/agenthost"]
# A container is reached from outside its loopback, so the host listens on
# all addresses and requires keys: pass AGENTHOST_ADMIN_KEY (32+ characters)
# or create keys with agentctl in the data volume.
ENV AGENTHOST_HOST=0.0.0.0 \
    AGENTHOST_PORT=8000 \
    AGENTHOST_AUTH_MODE=required
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/ready"]
ENTRYPOINT ["/usr/bin/agenthost", "--config", "/etc/agenthost/agenthost.json"]
