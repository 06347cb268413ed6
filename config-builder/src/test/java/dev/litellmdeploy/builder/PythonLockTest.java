package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** requirements.lock: what is accepted, what is refused (with where and why), and what build does with it. */
class PythonLockTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("litellmdeploy.projectRoot", "..")).resolve("examples");
    private static final String HASH = "--hash=sha256:" + "a".repeat(64);
    static final String HEADER = PythonLock.header(List.of("litellm[proxy]==1.80.9", "httpx[socks]"), "3.11", "x86_64-manylinux_2_36");
    /** The shape of uv pip compile --generate-hashes --no-header output. */
    static final String BODY = "anyio==4.12.0 \\\n    " + HASH + " \\\n    --hash=sha256:" + "b".repeat(64) + "\n    # via httpx\n"
            + "litellm==1.80.9 \\\n    " + HASH + "\n    # via -r requirements.in\n"
            + "socksio==1.0.0 \\\n    " + HASH + "\n    # via httpx\n";

    @TempDir
    Path dir;

    @Test
    void theLockUvWritesUnderTheProjectsHeaderIsAccepted() {
        PythonLock lock = PythonLock.parse(HEADER + BODY, "requirements.lock");
        assertEquals("1.80.9", lock.litellmVersion());
        assertEquals("3.11", lock.pythonVersion());
        assertEquals("x86_64-manylinux_2_36", lock.platform());
        assertEquals(List.of("litellm[proxy]==1.80.9", "httpx[socks]"), lock.requirements());
        assertEquals(Map.of("anyio", "4.12.0", "litellm", "1.80.9", "socksio", "1.0.0"), lock.pins());
        assertEquals(BundleWriter.sha256((HEADER + BODY).getBytes(StandardCharsets.UTF_8)), lock.sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--index-url https://evil.example/simple\n", "--extra-index-url https://evil.example/simple\n", "-r other.txt\n",
        "--find-links /tmp\n", "-e ./local\n", "evil @ https://evil.example/evil-1.0-py3-none-any.whl \\\n    --hash=sha256:"
            + "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00\n",
        "unpinned>=1.0 \\\n    --hash=sha256:c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00\n", "nohash==1.0\n",
        "md5==1.0 \\\n    --hash=md5:0123456789abcdef0123456789abcdef\n", "anyio==9.9 \\\n    --hash=sha256:" + "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"
            + "\n"})
    void aLineThatIsNotAHashedPinIsRefusedWithItsLine(String extra) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonLock.parse(HEADER + BODY + extra, "requirements.lock"));
        assertTrue(e.getMessage().contains("requirements.lock:" + (HEADER + BODY).split("\n", -1).length + ": "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.82.7", "1.82.8"})
    void aLockThatPinsAKnownCompromisedLitellmIsRefusedWithTheReason(String version) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PythonLock.parse(HEADER + BODY.replace("litellm==1.80.9", "litellm==" + version), "requirements.lock"));
        assertTrue(e.getMessage().contains("LiteLLM " + version + " is a known-compromised release: a malicious upload to PyPI on 2026-03-24"),
                e.getMessage());
    }

    @Test
    void theExamplesLockIsALockOfTheSeedVersion() throws Exception {
        PythonLock lock = PythonLock.parse(Files.readString(EXAMPLES.resolve(PythonLock.FILE)), "examples/requirements.lock");
        assertEquals(BundleOptions.DEFAULT_LITELLM_VERSION, lock.litellmVersion());
        assertEquals(BundleOptions.defaults().pythonVersion(), lock.pythonVersion());
    }

    @Test
    void aFileWithoutTheHeaderOrWithoutLitellmIsNotALock() {
        assertThrows(IllegalArgumentException.class, () -> PythonLock.parse(BODY, "requirements.lock"));
        String noLitellm = HEADER + "anyio==4.12.0 \\\n    " + HASH + "\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PythonLock.parse(noLitellm, "x")).getMessage().contains("no litellm==VERSION"));
    }

    @Test
    void buildPutsTheLockInTheBundleAndTheUnitRunsItsEnvironment() throws Exception {
        PythonLock lock = PythonLock.parse(HEADER + BODY, "requirements.lock");
        Path out = dir.resolve("bundle");
        BuildResult r = new ConfigBuilder().build(BuildRequest.fromTemplates(EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withPythonLock(lock)));
        assertEquals(lock.sha256(), r.manifest().files().get(PythonLock.FILE), "the manifest lists the lock with its sha256");
        assertEquals(HEADER + BODY, Files.readString(out.resolve(PythonLock.FILE)));
        String unit = Files.readString(out.resolve("litellm.service"));
        assertTrue(unit.contains("\nExecStart=/var/lib/litellm-deploy/envs/" + lock.sha256() + "/venv/bin/litellm --config /etc/litellm/config.yaml"
                + " --host 0.0.0.0 --port 4000\n"), unit);
        assertTrue(!unit.contains("ExecStart=/usr/local/lib/litellm-deploy/uv/uvx"), "no resolution at start: " + unit);
        // a second build over the first replaces it (the lock is a bundle file)
        new ConfigBuilder().build(BuildRequest.fromTemplates(EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), out, BundleOptions.defaults()));
        assertTrue(!Files.exists(out.resolve(PythonLock.FILE)));
    }

    @Test
    void buildRefusesALockForAnotherLitellmOrPythonThanTheBundles() {
        PythonLock lock = PythonLock.parse(HEADER + BODY, "requirements.lock");
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> new ConfigBuilder().build(BuildRequest.fromTemplates(
                EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), dir.resolve("bundle"),
                BundleOptions.defaults().withPythonLock(lock).withLitellmVersion("1.108.7").withPythonVersion("3.12"))));
        assertEquals(List.of("lock-version", "lock-python"), e.findings().stream().filter(Finding::isError).map(Finding::code).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.82.7", "1.82.8"})
    void buildAndValidateRefuseAKnownCompromisedLitellmWithTheReason(String version) throws Exception {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> new ConfigBuilder().build(BuildRequest.fromTemplates(
                EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), dir.resolve("bundle"), BundleOptions.defaults().withLitellmVersion(version))));
        assertTrue(e.findings().stream().anyMatch(f -> f.code().equals("compromised-litellm") && f.message().contains("malicious upload")));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\ngeneral_settings: {master_key: sk-fake-1}\n");
        assertTrue(new ConfigBuilder().validate(config, new ValidationOptions("0.0.0.0", false, version)).stream()
                .anyMatch(f -> f.isError() && f.code().equals("compromised-litellm")));
    }
}
