package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import picocli.CommandLine;

/**
 * {@code lock} with the real uv (offline, from the prepared wheelhouse), and {@code build}'s lock: required unless
 * {@code --unlocked}, which says what it gives up; the versions come from the lock; compromised versions are refused.
 */
class LockOptionsTest {
    @TempDir
    Path work;

    private record Result(int exit, String out, String err) {
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path config = work.resolve("config.yaml");
        Files.writeString(config, "model_list:\n  - model_name: m\n    litellm_params: {model: openai/x, api_key: sk-fake-key-0000}\n"
                + "general_settings:\n  master_key: sk-fake-master-key-0000\n");
        return config;
    }

    private Path lockFile(String version) throws Exception {
        Path lock = work.resolve("requirements.lock");
        Files.writeString(lock, PythonLock.header(List.of("litellm[proxy]==" + version), "3.11", "x86_64-manylinux_2_36") + "litellm=="
                + version + " \\\n    --hash=sha256:" + "a".repeat(64) + "\n");
        return lock;
    }

    @Test
    void buildWithoutALockOrUnlockedIsRefusedAndSaysWhatUnlockedGivesUp() throws Exception {
        Result r = cli("build", "--config", config().toString(), "--out", work.resolve("bundle").toString(), "--lock",
                work.resolve("requirements.lock").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("litellm-deploy lock --litellm-version") && r.err().contains("--unlocked")
                && r.err().contains("different versions") && r.err().contains("compromised upload"), r.err());
        assertTrue(!Files.exists(work.resolve("bundle")));
    }

    @Test
    void lockAndUnlockedTogetherAreAUsageError() throws Exception {
        Result r = cli("build", "--unlocked", "--lock", lockFile("1.80.9").toString(), "--config", config().toString(), "--out",
                work.resolve("bundle").toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
    }

    @Test
    void buildTakesTheLitellmVersionFromTheLockAndPutsTheLockInTheBundle() throws Exception {
        Path lock = lockFile("1.108.7");
        Result r = cli("build", "--lock", lock.toString(), "--config", config().toString(), "--out", work.resolve("bundle").toString(), "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        var manifest = new ObjectMapper().readTree(Files.readString(work.resolve("bundle/manifest.json")));
        assertEquals("1.108.7", manifest.path("litellm_version").asText());
        assertEquals(PythonLock.parse(Files.readString(lock), "x").sha256(), manifest.path("files").path("requirements.lock").asText());
        assertTrue(Files.readString(work.resolve("bundle/litellm.service")).contains("/bin/litellm --config"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.82.7", "1.82.8"})
    void lockBuildAndValidateRefuseAKnownCompromisedLitellmWithTheReason(String version) throws Exception {
        Result lock = cli("lock", "--litellm-version", version, "--lock", work.resolve("requirements.lock").toString(), "--uv", "/nonexistent/uv");
        assertEquals(ExitCodes.INVALID_INPUT, lock.exit(), lock.err());
        assertTrue(lock.err().contains("known-compromised") && lock.err().contains("malicious upload"), lock.err());
        Result build = cli("build", "--unlocked", "--litellm-version", version, "--config", config().toString(), "--out",
                work.resolve("bundle").toString());
        assertEquals(ExitCodes.INVALID_INPUT, build.exit());
        assertTrue(build.err().contains("known-compromised"), build.err());
        Result validate = cli("validate", "--litellm-version", version, config().toString());
        assertEquals(ExitCodes.INVALID_INPUT, validate.exit());
        assertTrue(validate.out().contains("known-compromised") || validate.err().contains("known-compromised"), validate.out() + validate.err());
        Path pinned = lockFile(version);
        Result fromLock = cli("validate", "--lock", pinned.toString(), config().toString());
        assertEquals(ExitCodes.INVALID_INPUT, fromLock.exit());
    }

    @Test
    void lockResolvesWithTheRealUvOfflineFromAWheelhouseAndGivesTheSameBytesTwice() throws Exception {
        RealLiteLlm seed = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        String uv = seed.uvArchive().getParent().resolve("bin/uv").toString();
        Path lock = work.resolve("locks/requirements.lock");
        String[] args = {"lock", "--uv", uv, "--find-links", seed.wheelhouse().toString(), "--lock", lock.toString()};
        Result first = cli(args);
        assertEquals(ExitCodes.OK, first.exit(), first.err());
        assertTrue(first.out().startsWith("Wrote " + lock + ": "), first.out());
        String text = Files.readString(lock, StandardCharsets.UTF_8);
        PythonLock parsed = PythonLock.parse(text, lock.toString());
        assertEquals(RealLiteLlm.SEED_VERSION, parsed.litellmVersion());
        assertTrue(parsed.pins().size() > 90, parsed.pins().keySet().toString());
        assertTrue(!text.contains(work.toString()) && !text.contains(seed.wheelhouse().toString()), "no path of this machine in the lock");
        Result second = cli(args);
        assertTrue(second.out().startsWith("Unchanged " + lock), second.out());
        assertEquals(text, Files.readString(lock, StandardCharsets.UTF_8));
    }

    /** The real uv locks the seed version from the prepared wheelhouse (once per class: the lock the wheelhouse tests fill from). */
    private Path seedLock(RealLiteLlm seed) throws Exception {
        Path lock = work.resolve("requirements.lock");
        Result r = cli("lock", "--uv", seed.uvArchive().getParent().resolve("bin/uv").toString(), "--find-links", seed.wheelhouse().toString(),
                "--lock", lock.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        return lock;
    }

    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                all.put(f.getFileName().toString(), dev.litellmdeploy.deployer.Wheelhouse.sha256(f));
            }
        }
        return all;
    }

    @Test
    void lockWheelhouseHoldsExactlyTheLockedFilesOnePerPinAndARerunFetchesNothing() throws Exception {
        RealLiteLlm seed = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        Path lock = seedLock(seed);
        PythonLock parsed = PythonLock.parse(Files.readString(lock), lock.toString());
        Path dir = work.resolve("wheelhouse");
        Result first = cli("lock", "--frozen", "--lock", lock.toString(), "--find-links", seed.wheelhouse().toString(), "--wheelhouse", dir.toString());
        assertEquals(ExitCodes.OK, first.exit(), first.err());
        Map<String, String> got = digests(dir);
        assertEquals(parsed.pins().size(), got.size(), "one wheel per pin: " + got.keySet());
        Map<String, java.util.Set<String>> hashes = parsed.hashes();
        for (Map.Entry<String, String> f : got.entrySet()) {
            String pin = PythonLock.normalize(f.getKey().substring(0, f.getKey().indexOf('-')));
            assertTrue(hashes.get(pin).contains(f.getValue()), f.getKey() + " is the file the lock pins for " + pin);
        }
        Map<String, String> prepared = digests(seed.wheelhouse());
        prepared.keySet().removeIf(n -> !n.endsWith(".whl"));
        assertEquals(prepared, got, "the same files, byte for byte, as tools/prepare-wheelhouse's pip picked");
        assertTrue(first.out().contains("the lock's " + got.size() + " wheels, " + got.size() + " fetched now"), first.out());

        Map<String, Long> stamps = new TreeMap<>();
        for (String n : got.keySet()) {
            stamps.put(n, Files.getLastModifiedTime(dir.resolve(n)).toMillis());
        }
        Result again = cli("lock", "--frozen", "--lock", lock.toString(), "--find-links", "/nonexistent", "--wheelhouse", dir.toString());
        assertEquals(ExitCodes.OK, again.exit(), again.err());
        assertTrue(again.out().contains("0 fetched now (0.0 MB), " + got.size() + " already there"), again.out());
        for (String n : got.keySet()) {
            assertEquals(stamps.get(n), Files.getLastModifiedTime(dir.resolve(n)).toMillis(), n + " untouched");
        }

        Files.writeString(dir.resolve("stray-1.0-py3-none-any.whl"), "not in the lock");
        Result stray = cli("lock", "--frozen", "--lock", lock.toString(), "--wheelhouse", dir.toString());
        assertEquals(ExitCodes.INVALID_INPUT, stray.exit(), stray.out());
        assertTrue(stray.err().contains("stray-1.0-py3-none-any.whl") && stray.err().contains("does not name"), stray.err());
    }

    @Test
    void aTamperedWheelInTheSourceIsRefusedNamingThePackageAndStaysOutOfTheWheelhouse() throws Exception {
        RealLiteLlm seed = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        Path lock = seedLock(seed);
        Path source = work.resolve("source");
        Files.createDirectories(source);
        String victim = null;
        try (Stream<Path> files = Files.list(seed.wheelhouse())) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".whl")).toList()) {
                Files.copy(f, source.resolve(f.getFileName()));
                if (f.getFileName().toString().startsWith("idna-")) {
                    victim = f.getFileName().toString();
                }
            }
        }
        Files.write(source.resolve(victim), "tampered".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        Path dir = work.resolve("wheelhouse");
        Result r = cli("lock", "--frozen", "--lock", lock.toString(), "--find-links", source.toString(), "--wheelhouse", dir.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
        String version = PythonLock.parse(Files.readString(lock), "x").pins().get("idna");
        assertTrue(r.err().contains("idna==" + version) && r.err().contains("does not match the sha256 the lock pins"), r.err());
        assertTrue(!Files.exists(dir.resolve(victim)), "the tampered wheel is not in the wheelhouse");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> !f.getFileName().toString().endsWith(".whl")).toList(), "no download directory is left");
        }
    }

    @Test
    void lockWheelhouseAsksPipForTheLocksPythonAndEveryGlibcTagOfItsPlatformFromTheIndexGiven() throws Exception {
        PythonLock lock = PythonLock.parse(Files.readString(lockFile("1.80.9")), "x");
        List<String> a = new WheelhouseDownload("python3", lock, work, null, "https://mirror.example/simple").arguments(Path.of("p"), Path.of("d"));
        String joined = String.join(" ", a);
        assertTrue(joined.startsWith("python3 -m pip download --isolated") && joined.contains("--no-deps --require-hashes --only-binary :all:")
                && joined.contains("--python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none"), joined);
        assertTrue(joined.contains("--platform manylinux_2_36_x86_64 --platform manylinux_2_35_x86_64") && joined.contains(
                "--platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64") && joined.contains("--platform manylinux1_x86_64"), joined);
        assertTrue(joined.contains("--index-url https://mirror.example/simple") && !joined.contains("--no-index"), joined);
        List<String> offline = new WheelhouseDownload("python3", lock, work, work, null).arguments(Path.of("p"), Path.of("d"));
        assertTrue(String.join(" ", offline).contains("--no-index --find-links " + work.toAbsolutePath()), offline.toString());
    }
}
