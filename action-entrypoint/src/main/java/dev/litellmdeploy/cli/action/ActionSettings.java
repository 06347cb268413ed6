package dev.litellmdeploy.cli.action;

import static dev.litellmdeploy.cli.OptionTable.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.cli.BuildCommand;
import dev.litellmdeploy.cli.DurationConverter;
import dev.litellmdeploy.cli.OptionTable;
import dev.litellmdeploy.cli.github.EnvironmentFlags;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.PythonSource;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.Wheelhouse;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;

/**
 * The action's inputs checked and turned into the builder's and deployer's settings. Names and
 * defaults come from {@link OptionTable}. Every problem is collected (input name and what is wrong,
 * never a value) before anything runs.
 */
public record ActionSettings(List<HostTarget> hosts, SshSettings ssh, Path templates, Path secrets, Path config, BundleOptions bundle,
        DeploySettings deploy, String environment, String environmentUrl, String token, boolean dryRun, String command, String to,
        EnvironmentFlags flags) {

    public static final String DEPLOY = "deploy";
    /** Plan every host, change nothing, record no deployment; on a pull request, the plan is its sticky comment. */
    public static final String PLAN = "plan";
    /** Switch back to {@code to} (default the previous release): recorded as a deployment of that release. */
    public static final String ROLLBACK = "rollback";
    /** What runs where; records nothing. */
    public static final String STATUS = "status";
    /** The command input's value that runs the drift check instead of a deploy. */
    public static final String STATUS_CHECK = "status-check";
    static final List<String> COMMANDS = List.of(DEPLOY, PLAN, ROLLBACK, STATUS, STATUS_CHECK);
    /** The events whose runs only plan: a pull request's code is not yet reviewed. */
    static final List<String> PULL_REQUEST_EVENTS = List.of("pull_request", "pull_request_target");

    public boolean statusCheck() {
        return STATUS_CHECK.equals(command);
    }

    /** The commands that build the bundle first (rollback and status read what the servers hold). */
    public boolean builds() {
        return !ROLLBACK.equals(command) && !STATUS.equals(command);
    }

    /** A plan: command plan, dry-run, or a deploy on a pull request event. */
    public boolean plans() {
        return PLAN.equals(command) || (DEPLOY.equals(command) && dryRun);
    }

    /** Every input name the entrypoint reads (action.yml must declare exactly these; OptionTableTest checks). */
    static final List<String> INPUTS = OptionTable.inputs().stream().map(OptionTable::input).toList();

    public static ActionSettings from(ActionInputs in, GitHubContext gh, List<String> problems) {
        Path workspace = Path.of(gh.workspace());
        Reader r = new Reader(in, problems);
        List<HostTarget> hosts = hosts(in, r, problems);
        boolean acceptNew = r.flag(ACCEPT_NEW_HOST_KEY);
        if (in.raw(SSH_KEY) == null) {
            problems.add("input ssh-key is required: the private key for username on the server(s)");
        }
        if (in.raw(KNOWN_HOSTS) == null && in.list(FINGERPRINT).isEmpty() && !acceptNew) {
            problems.add("input known-hosts or fingerprint is required: how to verify the server's host key"
                    + " (ssh-keyscan HOST, checked out of band; or accept-new-host-key: true to trust on first use)");
        }
        Path templates = path(workspace, in.get(TEMPLATES));
        Path config = path(workspace, in.get(CONFIG));
        String command = command(in, gh, problems);
        boolean builds = !ROLLBACK.equals(command) && !STATUS.equals(command);
        if (builds && (templates == null) == (config == null)) {
            problems.add("give exactly one of the inputs templates (a templates directory) or config (a ready config.yaml)");
        }
        BundleOptions bundle = BundleOptions.defaults();
        try {
            bundle = BundleOptions.defaults().withLitellmVersion(in.get(LITELLM_VERSION)).withPythonVersion(in.get(PYTHON_VERSION))
                    .withListen(in.get(LISTEN_HOST), r.number(SERVICE_PORT, 1, 65535)).withEnvFileMode(r.flag(ENV_FILE))
                    .withAllowNoAuth(r.flag(ALLOW_NO_AUTH)).withEnvironment(unitEnv(in, problems)).withSourceRevision(gh.sha());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (inputs litellm-version, python-version, listen-host, unit-env)");
        }
        if (builds) {
            bundle = locked(in, r, workspace, bundle, problems);
        }
        Wheelhouse wheelhouse = null;
        if (in.get(WHEELHOUSE) != null) {
            try {
                wheelhouse = Wheelhouse.read(path(workspace, in.get(WHEELHOUSE)));
                bundle = BuildCommand.withWheelhouse(bundle, wheelhouse);
            } catch (RuntimeException e) {
                problems.add("input wheelhouse: " + e.getMessage());
            }
        }
        Path uvFile = path(workspace, in.get(UV_FILE));
        UvSource uv = uvFile != null ? new UvSource(uvFile, null, in.get(UV_VERSION))
                : new UvSource(null, in.get(UV_INSTALLER_URL), in.get(UV_VERSION));
        List<Integer> colors = colorPorts(in, problems);
        DeploySettings.BlueGreen blueGreen = new DeploySettings.BlueGreen(colors.get(0), colors.get(1), r.duration(DRAIN_TIMEOUT),
                r.duration(KEEP_OLD), in.list(PROXY_PACKAGES).stream().map(p -> path(workspace, p)).toList());
        PythonSource python = PythonSource.DEFAULT;
        try {
            python = PythonSource.of(in.get(PYTHON_INDEX), in.get(PYTHON_INSTALL_MIRROR));
        } catch (IllegalArgumentException e) {
            problems.add("input " + e.getMessage().replaceFirst("^--python-index", "python-index").replaceFirst("^--python-install-mirror",
                    "python-install-mirror"));
        }
        DeploySettings deploy = DeploySettings.defaults().withUv(uv).withPython(python).withReadyTimeout(r.duration(READY_TIMEOUT))
                .withLockTimeout(r.duration(LOCK_TIMEOUT)).withCommandTimeout(r.duration(COMMAND_TIMEOUT))
                .withKeepReleases(r.number(KEEP_RELEASES, 2, 100)).withHosts(r.number(PARALLEL, 1, 64), r.flag(ROLLING))
                .withSudoHelper(in.get(SUDO_HELPER)).withSettle(r.duration(SETTLE)).withStrategy(strategy(in, problems), blueGreen)
                .withActor(gh.actor() + " via GitHub Actions run " + gh.runId()).withWheelhouse(wheelhouse)
                .withSmoke(dev.litellmdeploy.deployer.Smoke.of(in.list(SMOKE), r.flag(SMOKE_ALL))).withCanary(r.number(CANARY, 0, 64));
        SshSettings ssh = new SshSettings(in.get(USER), in.raw(SSH_KEY), in.raw(KEY_PASSPHRASE),
                new HostKeyPolicy(in.raw(KNOWN_HOSTS), in.list(FINGERPRINT), acceptNew), in.get(JUMP_HOST),
                r.duration(CONNECT_TIMEOUT));
        return new ActionSettings(hosts, ssh, templates, path(workspace, in.get(SECRETS)), config, bundle, deploy,
                in.get(ENVIRONMENT), in.get(ENVIRONMENT_URL), in.get(GITHUB_TOKEN), r.flag(DRY_RUN), command, release(in, command, problems),
                new EnvironmentFlags(r.optionalFlag(PRODUCTION_ENVIRONMENT), r.optionalFlag(TRANSIENT_ENVIRONMENT), r.optionalFlag(AUTO_INACTIVE)));
    }

    /**
     * The lock input read into the bundle options (the unit then runs its environment), or the unlocked opt-out. A version
     * input left at its default takes the lock's pin; one set to another version must match it (the build says so).
     */
    private static BundleOptions locked(ActionInputs in, Reader r, Path workspace, BundleOptions bundle, List<String> problems) {
        if (r.flag(UNLOCKED)) {
            if (in.raw(LOCK) != null && !LOCK.defaultValue().equals(in.get(LOCK))) {
                problems.add("inputs lock and unlocked contradict each other; give one");
            }
            return bundle;
        }
        Path lock = path(workspace, in.get(LOCK));
        if (!java.nio.file.Files.isRegularFile(lock)) {
            problems.add("input lock: there is no lock file " + in.get(LOCK) + " in the workspace: a bundle runs the hash-pinned"
                    + " environment of its lock. Make one with `litellm-deploy lock --litellm-version " + bundle.litellmVersion()
                    + "` and commit it, or set unlocked: true (the unit then resolves LiteLLM's dependencies with uvx at every cold"
                    + " start: servers and rollbacks may run different versions)");
            return bundle;
        }
        try {
            PythonLock pinned = PythonLock.parse(java.nio.file.Files.readString(lock), in.get(LOCK));
            // the runner passes action.yml's defaults for inputs a workflow leaves out: a default is "not set"
            return bundle.lockedTo(pinned, !bundle.litellmVersion().equals(LITELLM_VERSION.defaultValue()),
                    !bundle.pythonVersion().equals(PYTHON_VERSION.defaultValue()));
        } catch (java.io.IOException | IllegalArgumentException e) {
            problems.add("input lock: " + e.getMessage());
            return bundle;
        }
    }

    /** The command input; a deploy on a pull request event is a plan (the change is not reviewed yet), a rollback is refused. */
    private static String command(ActionInputs in, GitHubContext gh, List<String> problems) {
        String c = in.get(COMMAND).toLowerCase(java.util.Locale.ROOT);
        if (!COMMANDS.contains(c)) {
            problems.add("input command must be one of " + String.join(", ", COMMANDS) + ", not '" + dev.litellmdeploy.cli.Printable.value(c) + "'");
            return DEPLOY;
        }
        if (PULL_REQUEST_EVENTS.contains(gh.eventName())) {
            if (DEPLOY.equals(c)) {
                return PLAN;
            }
            if (ROLLBACK.equals(c)) {
                problems.add("input command rollback is refused on a " + gh.eventName() + " event: pull requests only plan");
            }
        }
        return c;
    }

    private static String release(ActionInputs in, String command, List<String> problems) {
        String to = in.get(TO);
        if (to != null && !ROLLBACK.equals(command)) {
            problems.add("input to is for command: rollback only");
        } else if (to != null && !to.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            problems.add("input to is not a release name (like 20261201T120000Z-0123456789ab; command: status lists them)");
        }
        return to;
    }

    private static List<HostTarget> hosts(ActionInputs in, Reader r, List<String> problems) {
        List<HostTarget> hosts = new ArrayList<>();
        List<String> specs = new ArrayList<>(in.list(HOST));
        specs.addAll(in.list(HOSTS));
        int port = r.number(PORT, 1, 65535);
        for (String spec : specs) {
            try {
                hosts.add(HostTarget.parse(spec, port));
            } catch (IllegalArgumentException e) {
                problems.add("input host/hosts: " + e.getMessage());
            }
        }
        if (specs.isEmpty()) {
            problems.add("input host (or hosts) is required: the server(s) to deploy to");
        }
        return hosts;
    }

    /** unit-env: NAME=VALUE, one per line. */
    private static Map<String, String> unitEnv(ActionInputs in, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>();
        String text = in.get(UNIT_ENV);
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                problems.add("input unit-env: each line must be NAME=VALUE (line " + (i + 1) + " has no NAME=)");
                continue;
            }
            env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return env;
    }

    /** color-ports: BLUE,GREEN, two different ports; 0,0 (the service port + 1 and + 2) when not given. */
    private static List<Integer> colorPorts(ActionInputs in, List<String> problems) {
        List<String> given = in.list(COLOR_PORTS);
        if (given.isEmpty()) {
            return List.of(0, 0);
        }
        try {
            List<Integer> ports = given.stream().map(Integer::parseInt).toList();
            if (ports.size() == 2 && ports.stream().allMatch(p -> p >= 1 && p <= 65535) && !ports.get(0).equals(ports.get(1))) {
                return ports;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("input color-ports needs two different ports (1-65535), like 4001,4002");
        return List.of(0, 0);
    }

    private static Path path(Path workspace, String value) {
        return value == null ? null : workspace.resolve(value).normalize();
    }

    private static DeploySettings.Strategy strategy(ActionInputs in, List<String> problems) {
        try {
            return DeploySettings.Strategy.parse(in.get(STRATEGY));
        } catch (IllegalArgumentException e) {
            problems.add("input strategy: " + e.getMessage());
            return DeploySettings.Strategy.RESTART;
        }
    }

    /** Typed reads that add a problem and fall back to the row's default instead of throwing. */
    private record Reader(ActionInputs in, List<String> problems) {
        int number(OptionTable input, int min, int max) {
            try {
                return in.number(input, min, max);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return Integer.parseInt(input.defaultValue());
            }
        }

        /** An input without a default: null when not given. */
        Boolean optionalFlag(OptionTable input) {
            return in.get(input) == null ? null : flag(input);
        }

        boolean flag(OptionTable input) {
            try {
                return in.flag(input);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return false;
            }
        }

        Duration duration(OptionTable input) {
            try {
                return new DurationConverter().convert(in.get(input));
            } catch (RuntimeException e) {
                problems.add("input " + input.input() + ": " + e.getMessage());
                return new DurationConverter().convert(input.defaultValue());
            }
        }
    }
}
