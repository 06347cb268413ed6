package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.testcontainers.utility.MountableFile;

import dev.litellmdeploy.builder.BundleOptions;

/**
 * The real uv and a real LiteLLM wheelhouse from PyPI, made on this machine by
 * {@code tools/prepare-wheelhouse} (cached under ~/.cache/litellm-deploy, so only the first run
 * needs PyPI), for tests that run real LiteLLM on an offline test host.
 *
 * @param version    the LiteLLM version the wheelhouse holds
 * @param uvArchive  the real uv repacked as a uv release archive (what {@code --uv-file} uploads)
 * @param wheelhouse the directory of hash-checked wheels {@code litellm[proxy]==version} needs
 */
public record RealLiteLlm(String version, Path uvArchive, Path wheelhouse) {
    /** The LiteLLM the unit pins by default (the seed's). */
    public static final String SEED_VERSION = BundleOptions.DEFAULT_LITELLM_VERSION;
    /**
     * The newest release whose {@code [proxy]} extra PyPI can resolve (1.108.8 to 1.110.2 depend on
     * litellm-enterprise / litellm-proxy-extras / litellm-proxy versions PyPI does not serve), and
     * not a compromised one (1.82.7, 1.82.8).
     */
    public static final String NEWEST_VERSION = "1.108.7";
    /** The real uv's version, pinned with its wheel's hash in tools/prepare-wheelhouse. */
    public static final String UV_VERSION = "0.13.9";

    private static final Map<String, RealLiteLlm> PREPARED = new ConcurrentHashMap<>();

    /** Runs tools/prepare-wheelhouse for this version (once per JVM); fails with what to run when it cannot. */
    public static RealLiteLlm prepare(String version) {
        return PREPARED.computeIfAbsent(version, RealLiteLlm::run);
    }

    private static RealLiteLlm run(String version) {
        Path script = MachinePreparation.projectRoot().resolve("tools/prepare-wheelhouse");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), version)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("tools/prepare-wheelhouse " + version + " failed (exit " + process.exitValue()
                        + "); it needs PyPI once (pip download) and then works offline: run `tools/prepare-wheelhouse "
                        + version + "` on a machine that reaches https://pypi.org and see its messages");
            }
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            RealLiteLlm prepared = new RealLiteLlm(version, Path.of(lines.get(0)), Path.of(lines.get(lines.size() - 1)));
            if (!Files.isRegularFile(prepared.uvArchive()) || !Files.isRegularFile(prepared.wheelhouse().resolve("requirements.txt"))) {
                throw new IllegalStateException("tools/prepare-wheelhouse printed no uv archive and wheelhouse: " + out);
            }
            return prepared;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the wheelhouse", e);
        }
    }

    /**
     * Puts the wheelhouse on the test host at {@code dir} (readable by every user: the service's
     * user reads it), as an operator would copy it to an offline server.
     */
    public void copyTo(TestHost host, String dir) {
        host.container().copyFileToContainer(MountableFile.forHostPath(wheelhouse), dir);
        host.exec("chown -R root:root " + dir + " && chmod -R u=rwX,go=rX " + dir + " && chmod 0755 " + parent(dir));
    }

    private static String parent(String dir) {
        return dir.substring(0, Math.max(1, dir.lastIndexOf('/')));
    }

    /**
     * The unit environment that makes uvx install from the wheelhouse at {@code dir} with no network:
     * no index (uv 0.13 has no variable for --no-index; offline mode leaves only --find-links), the
     * system Python (python-build-standalone comes from GitHub), LiteLLM's bundled cost map.
     */
    public static Map<String, String> offlineUnitEnvironment(String dir) {
        return Map.of("UV_OFFLINE", "1", "UV_FIND_LINKS", dir, "UV_PYTHON_DOWNLOADS", "never",
                "LITELLM_LOCAL_MODEL_COST_MAP", "True");
    }
}
