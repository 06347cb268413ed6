# The litellm-deploy GitHub Action image: a jlink'd Java runtime, the CLI jar and a
# class-data-sharing archive on an otherwise empty image (glibc and zlib only).
#
# Default target (what the Actions runner builds for `image: Dockerfile`): builds from
# source in the `source` stage (needs Maven Central). Target `runtime-prebuilt` takes a
# jar and a jlink'd runtime built on the host instead (tools/action-image does that; it is
# how the tests build the image on machines whose containers cannot download anything).
# Base images are build arguments.
ARG BASE_IMAGE=debian:bookworm
ARG BUILD_IMAGE=eclipse-temurin:17-jdk

# glibc + zlib (all the runtime links against), a /tmp, and a non-root user entry
FROM ${BASE_IMAGE} AS libs
RUN set -eu; mkdir -p /rootfs/tmp /rootfs/etc /rootfs/github/home; chmod 1777 /rootfs/tmp; \
    for f in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 \
             /lib/x86_64-linux-gnu/libz.so.1 /lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libstdc++.so.6 \
             /lib/x86_64-linux-gnu/libpthread.so.0 /lib/x86_64-linux-gnu/libdl.so.2 /lib/x86_64-linux-gnu/librt.so.1; do \
      mkdir -p "/rootfs$(dirname "$f")"; cp -L "$f" "/rootfs$f"; \
    done; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nrunner:x:1001:1001:runner:/github/home:/sbin/nologin\n' > /rootfs/etc/passwd; \
    printf 'root:x:0:\nrunner:x:1001:\n' > /rootfs/etc/group

# artifacts built on the host: build/action-image/{runtime/,litellm-deploy.jar}
FROM ${BASE_IMAGE} AS prebuilt
COPY action-entrypoint/target/action-image/ /out/

FROM scratch AS runtime-prebuilt
COPY --from=libs /rootfs/ /
COPY --from=prebuilt /out/runtime/ /opt/litellm-deploy/runtime/
COPY --from=prebuilt /out/litellm-deploy.jar /opt/litellm-deploy/litellm-deploy.jar
# one static class-data archive of what a deploy loads (the warm-up's class list, JDK and ours)
RUN ["/opt/litellm-deploy/runtime/bin/java", "-Xshare:off", "-XX:DumpLoadedClassList=/tmp/classes.lst", "-Xlog:disable", "-jar", "/opt/litellm-deploy/litellm-deploy.jar", "cds-warmup"]
RUN ["/opt/litellm-deploy/runtime/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=/tmp/classes.lst", "-XX:SharedArchiveFile=/opt/litellm-deploy/litellm-deploy.jsa", "-Xlog:disable", "-cp", "/opt/litellm-deploy/litellm-deploy.jar"]
# No USER: GitHub documents that Docker actions must run as the default user (root), because
# the mounted workspace and file-command folders belong to whatever user the runner has (uid
# 1001 on GitHub-hosted runners, anything on self-hosted ones). A fixed non-root uid would fail
# to write $GITHUB_OUTPUT on the latter. The image holds nothing but the Java runtime and the jar.
ENV HOME=/github/home
ENTRYPOINT ["/opt/litellm-deploy/runtime/bin/java", "-XX:SharedArchiveFile=/opt/litellm-deploy/litellm-deploy.jsa", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=error:stderr", "-jar", "/opt/litellm-deploy/litellm-deploy.jar"]
CMD ["--help"]

# from source (the default): the same image, built by Maven and jlink inside Docker
FROM ${BUILD_IMAGE} AS source
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package -pl action-entrypoint -am && tools/action-image /out

FROM scratch AS runtime
COPY --from=libs /rootfs/ /
COPY --from=source /out/runtime/ /opt/litellm-deploy/runtime/
COPY --from=source /out/litellm-deploy.jar /opt/litellm-deploy/litellm-deploy.jar
# one static class-data archive of what a deploy loads (the warm-up's class list, JDK and ours)
RUN ["/opt/litellm-deploy/runtime/bin/java", "-Xshare:off", "-XX:DumpLoadedClassList=/tmp/classes.lst", "-Xlog:disable", "-jar", "/opt/litellm-deploy/litellm-deploy.jar", "cds-warmup"]
RUN ["/opt/litellm-deploy/runtime/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=/tmp/classes.lst", "-XX:SharedArchiveFile=/opt/litellm-deploy/litellm-deploy.jsa", "-Xlog:disable", "-cp", "/opt/litellm-deploy/litellm-deploy.jar"]
ENV HOME=/github/home
ENTRYPOINT ["/opt/litellm-deploy/runtime/bin/java", "-XX:SharedArchiveFile=/opt/litellm-deploy/litellm-deploy.jsa", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=error:stderr", "-jar", "/opt/litellm-deploy/litellm-deploy.jar"]
CMD ["--help"]
