package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.litellmdeploy.builder.PythonLock;

/**
 * One resolution by the real uv: {@code uv pip compile --generate-hashes --only-binary :all:} of litellm[proxy]==VERSION and
 * the extras, for the servers' Python version and platform, in a private temporary directory (so uv's annotations name
 * {@code requirements.in}, not a path of this machine), then the project's header above uv's output, checked by
 * {@link PythonLock#parse}. {@link #arguments()} is pure (what runs is what a test reads).
 */
record UvLock(String uv, String litellmVersion, List<String> with, String pythonVersion, String platform, Path findLinks,
        String indexUrl) {
    /** A PEP 508 name with optional extras and version specifiers; no URLs, paths, markers or options. */
    private static final Pattern REQUIREMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(\\[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\\])?"
            + "((==|>=|<=|~=|!=|<|>)[A-Za-z0-9.*+!_-]+(,(==|>=|<=|~=|!=|<|>)[A-Za-z0-9.*+!_-]+)*)?");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9_]+(-[a-z0-9_]+)*");
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");

    UvLock {
        with = List.copyOf(with);
        for (String r : with) {
            if (!REQUIREMENT.matcher(r).matches() || r.toLowerCase(java.util.Locale.ROOT).matches("litellm(\\[.*)?([=<>!~].*)?")) {
                throw new IllegalArgumentException("--with '" + r + "' is not accepted: give a package name with optional extras and"
                        + " versions, like httpx[socks] or 'boto3>=1.34' (litellm itself is --litellm-version)");
            }
        }
        if (!PLATFORM.matcher(platform).matches()) {
            throw new IllegalArgumentException("--python-platform '" + platform + "' is not a uv platform name (like x86_64-manylinux_2_36)");
        }
        if (indexUrl != null && !URL.matcher(indexUrl).matches()) {
            throw new IllegalArgumentException("--index-url must be an http(s) URL");
        }
    }

    /** What the lock resolves: litellm[proxy]==VERSION first, then the extras as given. */
    List<String> requirements() {
        List<String> all = new ArrayList<>();
        all.add("litellm[proxy]==" + litellmVersion);
        all.addAll(with);
        return all;
    }

    /** uv's arguments, run in the temporary directory that holds requirements.in. */
    List<String> arguments() {
        List<String> a = new ArrayList<>(List.of(uv, "pip", "compile", "--quiet", "--no-config", "--generate-hashes", "--no-header",
                "--only-binary", ":all:", "--python-version", pythonVersion, "--python-platform", platform));
        if (findLinks != null) {
            a.addAll(List.of("--no-index", "--find-links", findLinks.toAbsolutePath().toString()));
        }
        if (indexUrl != null) {
            a.addAll(List.of("--default-index", indexUrl));
        }
        a.addAll(List.of("requirements.in", "--output-file", "requirements.txt"));
        return a;
    }

    PythonLock run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("litellm-deploy-lock-");
        try {
            Files.writeString(dir.resolve("requirements.in"), String.join("\n", requirements()) + "\n", StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(arguments()).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("uv.log").toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot run uv ('" + uv + "'): " + e.getMessage() + ". Install uv (pip install uv) or"
                        + " pass --uv FILE (tools/prepare-wheelhouse keeps one under ~/.cache/litellm-deploy/uv)");
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("uv pip compile took longer than 10 minutes; nothing was written");
            }
            String log = Files.readString(dir.resolve("uv.log"), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException("uv could not resolve " + String.join(" ", requirements()) + " for Python " + pythonVersion
                        + " on " + platform + "; nothing was written:\n" + log);
            }
            String text = PythonLock.header(requirements(), pythonVersion, platform)
                    + Files.readString(dir.resolve("requirements.txt"), StandardCharsets.UTF_8);
            return PythonLock.parse(text, "the lock uv wrote");
        } finally {
            WheelhouseDownload.delete(dir);
        }
    }
}
