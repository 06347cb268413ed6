package dev.litellmdeploy.testsupport;

import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The test host image, built once per JVM from the {@code testhost/} classpath folder (Docker's
 * layer cache makes later builds take about a second). The base image is {@code debian:bookworm},
 * pulled normally or built offline by {@code tools/prepare-host}.
 */
public final class TestHostImage {
    public static final String NAME = "litellm-deploy-testhost";
    private static final String[] FILES = {
        "Dockerfile", "sshd-testhost.conf", "testhost-hostkeys.service", "litellm_standin.py", "uv-standin.sh",
    };
    private static String built;

    private TestHostImage() {
    }

    public static synchronized String get() {
        if (built == null) {
            ImageFromDockerfile image = new ImageFromDockerfile(NAME + ":latest", false);
            for (String file : FILES) {
                image.withFileFromClasspath(file, "testhost/" + file);
            }
            built = image.get();
        }
        return built;
    }
}
