package dev.litellmdeploy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.KnownCompromised;
import dev.litellmdeploy.builder.PythonLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lock", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Write requirements.lock: litellm[proxy]==VERSION and the extras you list, resolved for the servers' Python and",
            "platform by uv (uv pip compile --generate-hashes --only-binary :all:), every package pinned with its sha256.",
            "Commit it and review its diff like code: build puts it in the bundle, and each server builds one environment",
            "per lock from it with --require-hashes (reused by every release with the same lock; rollback needs no install).",
            "Run it where PyPI (or your mirror, --index-url) is reachable, or offline from a wheelhouse (--find-links).",
            "Known-compromised LiteLLM versions are refused. The same inputs and index give the same bytes (no timestamp).",
            "With --wheelhouse DIR it then puts exactly the locked files in DIR for servers without PyPI: one wheel per pin for",
            "the lock's Python and platform, each checked against the lock's sha256 (pip download --require-hashes, from",
            "--find-links or --index-url or PyPI); wheels DIR already holds are not fetched again. --frozen skips the resolution",
            "and fills DIR from the --lock file as it is (the reviewed one; uv is not needed then).",
        },
        footer = {"", "Examples:", "  litellm-deploy lock --litellm-version 1.80.9 --with 'httpx[socks]'",
            "  litellm-deploy lock --find-links ~/.cache/litellm-deploy/wheelhouse/1.80.9-cp311-manylinux_2_36_x86_64",
            "  litellm-deploy lock --frozen --wheelhouse wheelhouse/",
            "", "Then: litellm-deploy build --lock requirements.lock ...; see docs/python-env.md."})
public final class LockCommand extends CliCommand {
    @Option(names = "--litellm-version", paramLabel = "VERSION")
    String litellmVersion;

    @Option(names = "--python-version", paramLabel = "VERSION")
    String pythonVersion;

    @Option(names = "--python-platform", paramLabel = "PLATFORM")
    String platform;

    @Option(names = "--with", paramLabel = "REQUIREMENT")
    List<String> with = new ArrayList<>();

    @Option(names = "--lock", paramLabel = "FILE")
    Path lock;

    @Option(names = "--uv", paramLabel = "FILE")
    String uv;

    @Option(names = "--find-links", paramLabel = "DIR")
    Path findLinks;

    @Option(names = "--index-url", paramLabel = "URL")
    String indexUrl;

    @Option(names = "--wheelhouse", paramLabel = "DIR")
    Path wheelhouse;

    @Option(names = "--frozen", description = "Do not resolve: take the --lock file as it is (the committed, reviewed one) and only fill"
            + " --wheelhouse from it.")
    boolean frozen;

    @Override
    public Integer call() throws Exception {
        Console console = console();
        if (KnownCompromised.why(litellmVersion) != null) {
            console.problem(KnownCompromised.refusal(litellmVersion) + "; nothing was written.");
            return ExitCodes.INVALID_INPUT;
        }
        if (frozen) {
            if (wheelhouse == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--frozen only fills --wheelhouse DIR from the lock; give it");
            }
            return fillWheelhouse(console, PythonLock.parse(Files.readString(lock, StandardCharsets.UTF_8), lock.toString()));
        }
        BundleOptions.defaults().withLitellmVersion(litellmVersion).withPythonVersion(pythonVersion); // the same checks as build's
        UvLock request = new UvLock(uv, litellmVersion, with, pythonVersion, platform, findLinks, indexUrl);
        PythonLock made = request.run();
        byte[] bytes = made.text().getBytes(StandardCharsets.UTF_8);
        boolean same = Files.isRegularFile(lock) && java.util.Arrays.equals(Files.readAllBytes(lock), bytes);
        if (!same) {
            Path abs = lock.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        console.out().printf("%s %s: %d packages, litellm==%s, Python %s on %s, sha256 %s%n", same ? "Unchanged" : "Wrote", lock,
                made.pins().size(), made.litellmVersion(), made.pythonVersion(), made.platform(), made.sha256().substring(0, 12));
        if (!same) {
            console.hint("Review the diff and commit it; then `litellm-deploy build --lock " + lock + " ...`.");
        }
        return wheelhouse == null ? ExitCodes.OK : fillWheelhouse(console, made);
    }

    private int fillWheelhouse(Console console, PythonLock made) throws Exception {
        WheelhouseDownload.Result r;
        try {
            r = new WheelhouseDownload("python3", made, wheelhouse, findLinks, indexUrl).run();
        } catch (WheelhouseDownload.Refused e) {
            console.problem(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        console.out().printf("Wheelhouse %s: the lock's %d wheels, %d fetched now (%.1f MB), %d already there%n", wheelhouse, r.wheels().size(),
                r.fetched().size(), r.fetchedBytes() / 1e6, r.wheels().size() - r.fetched().size());
        if (!r.unnamed().isEmpty()) {
            console.problem(wheelhouse + " also holds " + r.unnamed().size() + " file(s) the lock does not name: " + String.join(", ", r.unnamed())
                    + ". build --wheelhouse digests every wheel in the directory, so remove them (or use a directory of its own per lock).");
            return ExitCodes.INVALID_INPUT;
        }
        return ExitCodes.OK;
    }
}
