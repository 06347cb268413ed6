package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.cli.action.ActionInputs;
import dev.litellmdeploy.cli.action.ActionSettings;
import dev.litellmdeploy.cli.action.GitHubContext;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.UvSource;
import picocli.CommandLine;

/** The action's inputs become the same settings as the CLI's options: same defaults, and every CI option reachable. No network. */
class ActionSettingsTest {
    private static final Path WORKSPACE = Path.of("/github/workspace");

    private static ActionSettings settings(Map<String, String> inputs, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("GITHUB_REPOSITORY", "octo/repo", "GITHUB_SHA", "0123abcd", "GITHUB_RUN_ID", "7",
                "GITHUB_WORKSPACE", WORKSPACE.toString(), "GITHUB_OUTPUT", "/tmp/out", "GITHUB_STEP_SUMMARY", "/tmp/summary"));
        env.putAll(Map.of("INPUT_HOST", "agent.example.invalid", "INPUT_SSH-KEY", "fake-key-text", "INPUT_FINGERPRINT", "SHA256:fake",
                "INPUT_CONFIG", "config.yaml", "INPUT_UNLOCKED", "true")); // the lock tests below set unlocked: false
        inputs.forEach((k, v) -> env.put("INPUT_" + k.toUpperCase(java.util.Locale.ROOT), v));
        return ActionSettings.from(new ActionInputs(env), GitHubContext.from(env), problems);
    }

    /** What the runner passes for inputs the workflow does not set: action.yml's defaults (the table's). */
    private static Map<String, String> actionYmlDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        OptionTable.inputs().stream().filter(r -> r.defaultValue() != null && r != OptionTable.GITHUB_TOKEN)
                .filter(r -> r != OptionTable.UNLOCKED) // the workspace here has no lock: settings() builds unlocked
                .forEach(r -> defaults.put(r.input(), r.defaultValue()));
        return defaults;
    }

    @Test
    void anActionWithOnlyTheRequiredInputsDeploysWithTheSameSettingsAsTheCliWithNoOptions() {
        DeployCommand cli = CommandLine.populateCommand(new DeployCommand(), "--host", "agent.example.invalid", "--key", "k");
        DeploySettings expected = cli.options.settings();
        BuildCommand build = CommandLine.populateCommand(new BuildCommand(), "--config", "config.yaml");
        BundleOptions expectedBundle = build.service.toBundleOptions().withSourceRevision(null);
        for (Map<String, String> inputs : List.of(Map.<String, String>of(), actionYmlDefaults())) {
            List<String> problems = new ArrayList<>();
            ActionSettings action = settings(inputs, problems);
            assertEquals(List.of(), problems);
            DeploySettings got = action.deploy();
            assertEquals(expected.withActor("x").withWheelhouse(null), got.withActor("x").withWheelhouse(null), "inputs " + inputs.keySet());
            assertEquals(expectedBundle, action.bundle().withSourceRevision(null));
            assertEquals(cli.connection.user, action.ssh().user());
            assertEquals(cli.connection.connectTimeout, action.ssh().connectTimeout());
            assertEquals(22, action.hosts().get(0).port());
            assertEquals("production", action.environment());
        }
    }

    @Test
    void theInputsAddedForCiReachTheSettings() {
        List<String> problems = new ArrayList<>();
        Map<String, String> inputs = new LinkedHashMap<>(actionYmlDefaults());
        inputs.putAll(Map.of("connect-timeout", "5s", "lock-timeout", "30s", "command-timeout", "45s", "uv-version", "0.9.0",
                "color-ports", "5001,5002", "proxy-packages", "debs/nginx.deb\ndebs/libnginx.deb", "python-version", "3.12",
                "unit-env", "UV_INDEX_URL=https://mirror.example.invalid/simple\nUV_HTTP_TIMEOUT=60\n"));
        ActionSettings s = settings(inputs, problems);
        assertEquals(List.of(), problems);
        assertEquals(Duration.ofSeconds(5), s.ssh().connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.deploy().lockTimeout());
        assertEquals(Duration.ofSeconds(45), s.deploy().commandTimeout());
        assertEquals(new UvSource(null, UvSource.OFFICIAL_INSTALLER, "0.9.0"), s.deploy().uv());
        assertEquals(5001, s.deploy().blueGreen().bluePort());
        assertEquals(5002, s.deploy().blueGreen().greenPort());
        assertEquals(List.of(WORKSPACE.resolve("debs/nginx.deb"), WORKSPACE.resolve("debs/libnginx.deb")), s.deploy().blueGreen().proxyPackages());
        assertEquals("3.12", s.bundle().pythonVersion());
        assertEquals(Map.of("UV_INDEX_URL", "https://mirror.example.invalid/simple", "UV_HTTP_TIMEOUT", "60"), s.bundle().environment());
    }

    @Test
    void badValuesOfTheNewInputsAreCollectedNamingTheInputNotTheValue() {
        List<String> problems = new ArrayList<>();
        settings(Map.of("color-ports", "4001", "unit-env", "no-equals-sign-here", "lock-timeout", "soon", "connect-timeout", "later"), problems);
        assertEquals(4, problems.size(), problems.toString());
        for (String input : List.of("input color-ports", "input unit-env", "input lock-timeout", "input connect-timeout")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(input)), input + " in " + problems);
        }
        assertTrue(problems.stream().noneMatch(p -> p.contains("no-equals-sign-here")), "the value is not repeated: " + problems);
    }

    @Test
    void thePythonIndexInputAndOptionGiveTheSameSourceWithTheCredentialsOffTheUrlAndMasked() {
        String url = "https://ci:sk-fake-index-pw-3@pypi.corp.example/simple/";
        List<String> problems = new ArrayList<>();
        ActionSettings s = settings(Map.of("python-index", url, "python-install-mirror", "https://mirror.corp.example/pbs"), problems);
        assertEquals(List.of(), problems);
        DeployCommand cli = CommandLine.populateCommand(new DeployCommand(), "--host", "agent.example.invalid", "--key", "k",
                "--python-index", url, "--python-install-mirror", "https://mirror.corp.example/pbs");
        assertEquals(cli.options.settings().python(), s.deploy().python());
        assertEquals("https://pypi.corp.example/simple/", s.deploy().python().index().url());
        assertEquals("from the index https://pypi.corp.example/simple/ (with credentials), Python from the mirror https://mirror.corp.example/pbs",
                s.deploy().python().describe());
        assertEquals("<redacted>", dev.litellmdeploy.deployer.bundle.SecretRegistry.global().apply("sk-fake-index-pw-3", "<redacted>"));

        settings(Map.of("python-index", "ftp://ci:sk-fake-index-pw-4@pypi.corp.example/simple/"), problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("input python-index must be an http:// or https:// URL"), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("sk-fake-index-pw-4")), "the password is not repeated: " + problems);
    }

    @Test
    void theCommandInputChoosesWhatRunsAndAPullRequestOnlyPlans() {
        List<String> problems = new ArrayList<>();
        ActionSettings rollback = settings(Map.of("command", "rollback", "to", "20261201T120000Z-0123456789ab", "config", ""), problems);
        assertEquals(List.of(), problems, "a rollback builds nothing: no templates or config needed");
        assertEquals("20261201T120000Z-0123456789ab", rollback.to());
        assertEquals(ActionSettings.STATUS, settings(Map.of("command", "status", "config", ""), problems).command());
        assertEquals(List.of(), problems);

        settings(Map.of("command", "deploy", "to", "20261201T120000Z-0123456789ab"), problems);
        assertEquals(List.of("input to is for command: rollback only"), problems);
        problems.clear();
        settings(Map.of("command", "rollback", "to", "../../etc"), problems);
        assertEquals(List.of("input to is not a release name (like 20261201T120000Z-0123456789ab; command: status lists them)"), problems);
        problems.clear();
        settings(Map.of("command", "destroy"), problems);
        assertEquals(List.of("input command must be one of deploy, plan, rollback, status, status-check, not 'destroy'"), problems);
    }

    @Test
    void aTokenIsTrimmedAndTheEnvironmentFlagsAreGitHubsUnlessGiven() {
        List<String> problems = new ArrayList<>();
        ActionSettings s = settings(Map.of("github-token", "ghs_fake_token_0123456789\n"), problems);
        assertEquals("ghs_fake_token_0123456789", s.token());
        assertEquals(dev.litellmdeploy.cli.github.EnvironmentFlags.GITHUB_DEFAULTS, s.flags());
        ActionSettings flags = settings(Map.of("production-environment", "false", "transient-environment", "true", "auto-inactive", "false"),
                problems);
        assertEquals(new dev.litellmdeploy.cli.github.EnvironmentFlags(false, true, false), flags.flags());
        settings(Map.of("auto-inactive", "maybe"), problems);
        assertEquals(List.of("input auto-inactive must be true or false, not 'maybe'"), problems);
    }

    private static final Path EXAMPLE_LOCK = Path.of("../examples/requirements.lock").toAbsolutePath().normalize();

    @Test
    void aCommittedLockGoesIntoTheBundleAndItsPinsWinOverVersionInputsLeftAtTheirDefaults(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path newer = java.nio.file.Files.writeString(dir.resolve("requirements.lock"), java.nio.file.Files.readString(EXAMPLE_LOCK)
                .replace("litellm[proxy]==1.80.9", "litellm[proxy]==1.108.7").replace("\nlitellm==1.80.9", "\nlitellm==1.108.7")
                .replace("# python: 3.11", "# python: 3.12"));
        List<String> problems = new ArrayList<>();
        Map<String, String> inputs = new LinkedHashMap<>(actionYmlDefaults());
        inputs.putAll(Map.of("unlocked", "false", "lock", newer.toString()));
        ActionSettings s = settings(inputs, problems);
        assertEquals(List.of(), problems);
        dev.litellmdeploy.builder.PythonLock lock = s.bundle().pythonLock();
        assertTrue(lock != null, "the bundle carries the lock");
        assertEquals("1.108.7", lock.litellmVersion());
        assertEquals("1.108.7", s.bundle().litellmVersion());
        assertEquals("3.12", s.bundle().pythonVersion());
        assertTrue(s.bundle().pythonEnv().startsWith(BundleOptions.ENVS_DIR), s.bundle().pythonEnv());
    }

    @Test
    void aMissingLockFailsTheRunWithTheFixUnlessUnlockedIsSet() {
        List<String> problems = new ArrayList<>();
        settings(Map.of("unlocked", "false", "lock", "no/such/requirements.lock"), problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("input lock: there is no lock file no/such/requirements.lock"), problems.get(0));
        assertTrue(problems.get(0).contains("litellm-deploy lock --litellm-version") && problems.get(0).contains("unlocked: true"),
                problems.get(0));

        List<String> unlocked = new ArrayList<>();
        assertEquals(null, settings(Map.of("lock", OptionTable.LOCK.defaultValue()), unlocked).bundle().pythonLock());
        assertEquals(List.of(), unlocked);
    }

    @Test
    void aLockAndUnlockedTogetherContradictEachOther() {
        List<String> problems = new ArrayList<>();
        settings(Map.of("lock", EXAMPLE_LOCK.toString()), problems);
        assertEquals(List.of("inputs lock and unlocked contradict each other; give one"), problems);
    }

    @Test
    void aBrokenLockIsAProblemNamingTheInput(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path lock = java.nio.file.Files.writeString(dir.resolve("requirements.lock"), "litellm==1.80.9\n");
        List<String> problems = new ArrayList<>();
        settings(Map.of("unlocked", "false", "lock", lock.toString()), problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("input lock: ") && problems.get(0).contains("--hash=sha256:"), problems.get(0));
    }
}
