package dev.litellmdeploy.cli;

import static dev.litellmdeploy.cli.OptionRow.action;
import static dev.litellmdeploy.cli.OptionRow.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.deployer.HelperScript;
import dev.litellmdeploy.deployer.UvSource;

/**
 * The one place where the options of the CLI and the inputs of the action are described: CLI flag,
 * action input, environment variable, default and text. picocli reads it through
 * {@link OptionTableDefaults} (defaults) and {@link OptionTableTransformer} (an {@code @Option} without a
 * description takes its row's text), the action through {@code ActionInputs}, and {@code OptionTableTest} checks that
 * action.yml declares exactly the inputs below with these defaults and texts, and that every option of
 * plan, deploy and build is here: reachable from the action, or saying why not.
 *
 * <p>A row's {@code text} is shared; the CLI's help adds the row's {@code cliNote} and "Env: NAME." when
 * the row has a variable, action.yml adds the row's {@code actionNote}. Defaults are strings as a user
 * writes them (10m, 4, restart); a boolean flag's "false" is for action.yml (the CLI flag is off unless given).
 */
public enum OptionTable {
    // which servers and how to reach them
    HOST(cli("--host").input("host").env("LITELLM_DEPLOY_HOSTS")
            .text("Server(s) to deploy to, HOST or HOST:PORT; several separated by commas.").actionNote("Give this or hosts.")),
    HOSTS(action("hosts").text("Several servers, one per line or comma-separated (HOST or HOST:PORT each).")
            .cliEquivalent("repeat --host")),
    PORT(cli("--port").input("port").env("LITELLM_DEPLOY_PORT").byDefault("22").text("SSH port for hosts that name none.")),
    USER(cli("--user").input("username").env("LITELLM_DEPLOY_USER").byDefault("root")
            .text("SSH user on the server(s): root, or a user with passwordless sudo.")),
    KEY_FILE(cli("--key").env("LITELLM_DEPLOY_KEY_FILE").text("Private key file, OpenSSH or PEM; ed25519, RSA or ECDSA.")
            .notInAction("the action takes the key itself, a secret: input ssh-key")),
    SSH_KEY(action("ssh-key").required()
            .text("Private SSH key (OpenSSH or PEM text; ed25519, RSA or ECDSA) for username. Pass a secret.").cliEquivalent("--key FILE")),
    KEY_PASSPHRASE(cli("--key-passphrase").input("ssh-key-passphrase").env("LITELLM_DEPLOY_KEY_PASSPHRASE")
            .text("Passphrase of an encrypted key.").cliNote("Prefer the variable: arguments show in ps.").actionNote("Pass a secret.")),
    KNOWN_HOSTS_FILE(cli("--known-hosts").env("LITELLM_DEPLOY_KNOWN_HOSTS_FILE")
            .text("known_hosts file to verify host keys with (hashed entries and [host]:port work).")
            .notInAction("the action takes the lines themselves: input known-hosts")),
    KNOWN_HOSTS(action("known-hosts")
            .text("known_hosts lines for the server(s) (ssh-keyscan output checked out of band). Give this or fingerprint.")
            .cliEquivalent("--known-hosts FILE")),
    FINGERPRINT(cli("--fingerprint").input("fingerprint")
            .text("Pinned host key fingerprint(s), SHA256:... as `ssh-keygen -lf` prints them, comma-separated; instead of or besides"
                    + " known hosts.")),
    ACCEPT_NEW_HOST_KEY(cli("--accept-new-host-key").input("accept-new-host-key").byDefault("false")
            .text("Trust a host key seen for the first time (trust on first use). A changed key still fails.")),
    JUMP_HOST(cli("--jump-host").input("jump-host")
            .text("Reach the servers through this SSH jump host, USER@HOST[:PORT] (same key and host key checks).")),
    CONNECT_TIMEOUT(cli("--connect-timeout").input("connect-timeout").byDefault("20s")
            .text("Limit for connecting and authenticating, e.g. 20s, 1m.")),

    // what is built
    TEMPLATES(action("templates")
            .text("Templates directory in the workspace (config.yaml.mustache, models/*.yaml.mustache). Give this or config.")
            .cliEquivalent("build --templates")),
    SECRETS(action("secrets").text("The checked-out private secrets repo in the workspace (*.yaml, *.yml, *.json; SOPS-encrypted"
            + " ones and *.age files are decrypted in memory with age-key).")
            .cliEquivalent("build --secrets")),
    AGE_IDENTITY(cli("--age-identity").text("An age identity file (age-keygen output) that opens the SOPS- or age-encrypted files"
            + " in the secrets directory; repeat for several. SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and ~/.config/sops/age/keys.txt are"
            + " read too, as sops reads them (docs/secrets.md).")
            .notInAction("the action takes the identities themselves, a secret: input age-key")),
    AGE_KEY(action("age-key").text("age identities (AGE-SECRET-KEY-1... lines, as in an age keys.txt) that open the SOPS- or"
            + " age-encrypted files in secrets; masked in the log, every line. Pass a secret. SOPS_AGE_KEY in the step's env works"
            + " too.").cliEquivalent("build --age-identity FILE, or SOPS_AGE_KEY / SOPS_AGE_KEY_FILE")),
    CONFIG(action("config").text("A ready config.yaml in the workspace (built elsewhere, e.g. by Nix), validated and deployed as is.")
            .cliEquivalent("build --config")),
    OUT(cli("--out").byDefault("bundle").text("Bundle directory to write (replaced if it holds an earlier bundle).")
            .notInAction("the action builds into a directory of its own and deploys it")),
    BUNDLE(cli("--bundle").byDefault("bundle").text("The bundle directory (from `litellm-deploy build`).")
            .notInAction("the action builds the bundle itself, from templates + secrets or config")),
    LITELLM_VERSION(cli("--litellm-version").input("litellm-version").env("LITELLM_VERSION").byDefault(BundleOptions.DEFAULT_LITELLM_VERSION)
            .text("LiteLLM version pinned in the unit.")),
    PYTHON_VERSION(cli("--python-version").input("python-version").byDefault(BundleOptions.defaults().pythonVersion())
            .text("Python version uv runs LiteLLM with.")),
    LISTEN_HOST(cli("--listen-host").input("listen-host").byDefault(BundleOptions.defaults().host()).text("Address the proxy listens on.")),
    SERVICE_PORT(cli("--service-port").input("service-port").byDefault(String.valueOf(BundleOptions.defaults().port()))
            .text("Port the proxy listens on (1-65535).")),
    ENV_FILE(cli("--env-file").input("env-file").byDefault("false")
            .text("Move secrets out of config.yaml into litellm.env (installed 0600), referenced as os.environ/NAME.")),
    ALLOW_NO_AUTH(cli("--allow-no-auth").input("allow-no-auth").byDefault("false")
            .text("Accept a config without general_settings.master_key on a non-loopback address.")),
    UNIT_ENV(cli("--unit-env").input("unit-env")
            .text("Extra environment for the unit (e.g. UV_INDEX_URL=https://mirror/simple). Not for secrets.")
            .actionNote("NAME=VALUE, one per line.")),
    REVISION(cli("--revision").text("Source revision recorded in the manifest. Default: $GITHUB_SHA when set.")
            .notInAction("the action records the run's commit, GITHUB_SHA")),
    WHEELHOUSE(cli("--wheelhouse").input("wheelhouse").env("LITELLM_DEPLOY_WHEELHOUSE")
            .text("A wheelhouse directory from tools/prepare-wheelhouse, for servers without PyPI: the unit installs LiteLLM from it"
                    + " only, and it is uploaded once to each server that lacks it (docs/offline.md).")
            .cliNote("Give build and deploy the same one; `lock --wheelhouse DIR` fills it with exactly the lock's wheels, hash-checked.")
            .actionNote(OptionTable.IN_WORKSPACE)),

    LOCK(cli("--lock").input("lock").byDefault(dev.litellmdeploy.builder.PythonLock.FILE)
            .text("The hash-pinned lock of the service's Python environment: `lock` writes it, `build` puts it in the bundle (the"
                    + " servers build one environment per lock and the unit runs its litellm directly; docs/python-env.md). build takes"
                    + " LiteLLM and Python versions from it unless given.")
            .actionNote(OptionTable.IN_WORKSPACE + " Commit it (`litellm-deploy lock`); a missing lock fails the run unless unlocked"
                    + " is true; litellm-version and python-version left at their defaults take the lock's.")),
    UNLOCKED(cli("--unlocked").input("unlocked").byDefault("false")
            .text("Build without a lock, and give up what it gives: the unit resolves LiteLLM's dependencies with uvx at every cold"
                    + " start, so two servers or a rollback may run different dependency versions, and a compromised upload to the"
                    + " index reaches the server on its next cache miss.")),
    LOCK_WITH(cli("--with").text("An extra requirement resolved with litellm[proxy]==VERSION into the lock, e.g. 'httpx[socks]'"
            + " (repeat for several).").notInAction("the lock is made and reviewed in the repository, not in a deploy")),
    PYTHON_PLATFORM(cli("--python-platform").byDefault("x86_64-manylinux_2_36")
            .text("The servers' platform as uv names it; x86_64-manylinux_2_36 is x86_64 Linux with glibc 2.36 or newer (Debian 12).")
            .notInAction("the lock is made and reviewed in the repository, not in a deploy")),
    UV(cli("--uv").env("LITELLM_DEPLOY_UV").byDefault("uv").text("The uv binary that resolves the lock (uv pip compile).")
            .notInAction("the lock is made and reviewed in the repository, not in a deploy")),
    FIND_LINKS(cli("--find-links").text("Resolve from the wheels in this directory only, with no index (a wheelhouse from"
            + " tools/prepare-wheelhouse; offline).").notInAction("the lock is made and reviewed in the repository, not in a deploy")),
    INDEX_URL(cli("--index-url").text("Resolve from this index (a PyPI mirror) instead of PyPI. The servers install by hash, so a"
            + " mirror cannot change what they run.").notInAction("the lock is made and reviewed in the repository, not in a deploy")),

    // how a deploy runs
    UV_FILE(cli("--uv-file").input("uv-file").env("LITELLM_DEPLOY_UV_FILE")
            .text("A uv release archive (.tar.gz) or installer script, uploaded when a server has no uv (offline servers).")
            .actionNote(OptionTable.IN_WORKSPACE)),
    UV_INSTALLER_URL(cli("--uv-installer-url").input("uv-installer-url").byDefault(UvSource.OFFICIAL_INSTALLER)
            .text("Installer a server downloads when it has no uv (a mirror for networks that cannot reach the default).")),
    UV_VERSION(cli("--uv-version").input("uv-version").text("Require this uv version (replace another). Default: any uv present.")),
    PYTHON_INDEX(cli("--python-index").input("python-index").env("LITELLM_DEPLOY_PYTHON_INDEX")
            .text("The package index (PEP 503 simple, e.g. a PyPI mirror or a private index) a server installs a locked release's"
                    + " files from when the release names no wheelhouse. Default: PyPI. Hashes are still required, so an index cannot"
                    + " change what runs. A user:password@ in the URL reaches uv as netrc over the deploy lock's channel only: never"
                    + " in a unit, a file left on the server, an argument list or a log, and masked in every output (docs/python-env.md).")
            .cliNote("With a password, prefer the variable: arguments show in ps.").actionNote("With a password, pass a secret.")),
    PYTHON_INSTALL_MIRROR(cli("--python-install-mirror").input("python-install-mirror").env("LITELLM_DEPLOY_PYTHON_INSTALL_MIRROR")
            .text("Where uv downloads its managed Python (UV_PYTHON_INSTALL_MIRROR, a mirror of python-build-standalone's releases)"
                    + " when a server has no python of the locked version and the release names no wheelhouse. Default: GitHub."
                    + " Credentials as for --python-index.")),
    READY_TIMEOUT(cli("--ready-timeout").input("health-timeout").byDefault("10m")
            .text("How long to wait for /health/readiness after a (re)start; a first start downloads Python and LiteLLM.")),
    LOCK_TIMEOUT(cli("--lock-timeout").input("lock-timeout").byDefault("2m")
            .text("How long to wait for another deploy to the same host to finish.")),
    COMMAND_TIMEOUT(cli("--command-timeout").input("command-timeout").byDefault("2m")
            .text("Limit for each remote command (a systemctl that hangs fails the step, then the deploy rolls back).")),
    KEEP_RELEASES(cli("--keep-releases").input("keep-releases").byDefault("5").text("Release directories kept on each server (at least 2).")),
    PARALLEL(cli("--parallel").input("parallel").byDefault("32").text("Hosts deployed at once (when not rolling). Bounds the"
            + " connections only: every host gets the release whatever another's outcome (canary and rolling stop a bad one).")),
    ROLLING(cli("--rolling").input("rolling").byDefault("false").text("One host at a time; stop at the first failure.")),
    SUDO_HELPER(cli("--sudo-helper").input("sudo-helper").env("LITELLM_DEPLOY_SUDO_HELPER")
            .text("Call the root helper installed at this path (" + HelperScript.DEFAULT_PATH + ") instead of sending it through"
                    + " `sudo bash`: for a deploy user whose sudoers entry allows only that file. See `litellm-deploy helper`.")),
    SETTLE(cli("--settle").input("settle").byDefault("0s")
            .text("After the new release serves its models, require it to stay up (same process, no restart) this long before it is"
                    + " recorded; a crash in that time rolls back.")),
    SMOKE(cli("--smoke").input("smoke")
            .text("After the proxy lists its models, send one chat completion (max_tokens 1) to each of these models through it, with"
                    + " the master key: a model that does not answer 200 (a wrong provider key: 401, a renamed model: 404) fails the"
                    + " deploy, which rolls back. In blue-green, to the new color before any traffic moves. Opt-in: each request"
                    + " reaches the provider and may cost money.")
            .actionNote("Model names, one per line or comma-separated.")),
    CANARY(cli("--canary").input("canary").byDefault("0")
            .text("With several hosts: deploy to the first N (their smoke requests and --settle included) and to the others only when"
                    + " all N succeeded. A failure there rolls the N back and leaves the others untouched. 0: all hosts in one stage.")),
    SMOKE_ALL(cli("--smoke-all").input("smoke-all").byDefault("false")
            .text("Smoke every model of the bundle (see --smoke): one paid request per model and host.")),
    STRATEGY(cli("--strategy").input("strategy").env("LITELLM_DEPLOY_STRATEGY").byDefault("restart")
            .text("How a changed release replaces the running one. restart: the one service restarts in place (requests fail while"
                    + " LiteLLM starts). blue-green: the new release starts beside the old one on a loopback port, nginx on the public"
                    + " port switches to it once it serves its models, the old one drains. Switching strategy is a deploy.")),
    DRAIN_TIMEOUT(cli("--drain-timeout").input("drain-timeout").byDefault("5m")
            .text("blue-green: how long the old color may finish its requests (long streams) after the switch.")),
    KEEP_OLD(cli("--keep-old").input("keep-old").byDefault("5m")
            .text("blue-green: how long the old color keeps running after it drained, so a rollback is a switch back. 0s stops it at"
                    + " once.")),
    COLOR_PORTS(cli("--color-ports").input("color-ports")
            .text("blue-green: the loopback ports of the two colors, BLUE,GREEN. Default: the service port + 1 and + 2.")),
    PROXY_PACKAGES(cli("--proxy-package").input("proxy-packages")
            .text("blue-green: nginx .deb files uploaded and installed when the server has no nginx and no package mirror.")
            .actionNote("Paths in the workspace, one per line or comma-separated.")),

    // status
    CHECK(cli("--check").text("Exit " + ExitCodes.CHECK_FAILED + " when a server drifted from its recorded release (installed files,"
            + " drop-ins, the nginx site, the helper), is not ready, or runs another release than --expect-release; for a scheduled"
            + " check.").notInAction("the action runs it with command: status-check")),
    EXPECT_RELEASE(cli("--expect-release").text("With --check: the release every server must run, a release id (as status shows it)"
            + " or a bundle id (the manifest's bundle_id).").notInAction("the action expects the bundle it builds")),

    // the run itself
    JSON(cli("--json").text("Print the result as JSON on stdout.")
            .notInAction("the action writes its outputs to $GITHUB_OUTPUT and a report to the job summary")),
    COMMAND(action("command").byDefault("deploy")
            .text("What the action does. deploy: build and deploy (on a pull_request event: plan). plan: build, plan every host"
                    + " read-only, change nothing and record no deployment; on a pull request the plan is one comment, updated on each"
                    + " push (needs pull-requests write). rollback: switch back to the release `to` names (default: the previous one),"
                    + " recorded as a deployment of it. status: what runs where, recorded nowhere. status-check: change nothing and"
                    + " record no deployment; fail (exit " + ExitCodes.CHECK_FAILED + ") when a server drifted from its recorded"
                    + " release, is not ready, or does not run the built bundle, with the drift (never a file's lines) in the job"
                    + " summary; for a scheduled workflow (examples/workflows/drift-check.yml).")
            .cliEquivalent("deploy; plan; rollback; status; status --check --expect-release BUNDLE_ID")),
    TO(action("to").text("command: rollback: the release to return to (a name command: status lists). Default: the previous one.")
            .cliEquivalent("rollback --to RELEASE")),
    DRY_RUN(action("dry-run").byDefault("false").text("Plan only; change nothing and record no deployment.").cliEquivalent("the plan command")),
    ENVIRONMENT(action("environment").byDefault("production").text("GitHub deployment environment name.").cliEquivalent(OptionTable.NO_GITHUB)),
    ENVIRONMENT_URL(action("environment-url").text("URL shown on the GitHub deployment (the proxy's public address).")
            .cliEquivalent(OptionTable.NO_GITHUB)),
    PRODUCTION_ENVIRONMENT(action("production-environment")
            .text("The deployment's production_environment: true or false. Default: GitHub's (true for the environment named"
                    + " production).").cliEquivalent(OptionTable.NO_GITHUB)),
    TRANSIENT_ENVIRONMENT(action("transient-environment")
            .text("The deployment's transient_environment: true for an environment that will not exist later (a review app)."
                    + " Default: GitHub's (false).").cliEquivalent(OptionTable.NO_GITHUB)),
    AUTO_INACTIVE(action("auto-inactive")
            .text("The statuses' auto_inactive: false keeps earlier successful deployments of the environment active. Default:"
                    + " GitHub's (true).").cliEquivalent(OptionTable.NO_GITHUB)),
    GITHUB_TOKEN(action("github-token").byDefault("${{ github.token }}")
            .text("Token to record the GitHub deployment with (needs permissions deployments write) and to comment a pull request's"
                    + " plan (pull-requests write). Empty to skip.")
            .cliEquivalent(OptionTable.NO_GITHUB));

    private static final String IN_WORKSPACE = "A path in the workspace.";
    private static final String NO_GITHUB = "none: the CLI records no GitHub deployment";

    private final OptionRow row;

    OptionTable(OptionRow row) {
        this.row = row;
    }

    /** The CLI's long flag (--ready-timeout), or null for an action-only input. */
    public String flag() {
        return row.flag;
    }

    /** The action's input name (health-timeout), or null for a CLI-only option. */
    public String input() {
        return row.input;
    }

    /** The environment variable the CLI reads when the flag is not given, or null. */
    public String env() {
        return row.env;
    }

    /** The default as a user writes it, or null for none. */
    public String defaultValue() {
        return row.defaultValue;
    }

    public boolean required() {
        return row.required;
    }

    /** The text of the option in the CLI's help. */
    public String cliDescription() {
        return row.text + (row.cliNote == null ? "" : " " + row.cliNote) + (row.env == null ? "" : " Env: " + row.env + ".");
    }

    /** The text of the input in action.yml. */
    public String inputDescription() {
        return row.text + (row.actionNote == null ? "" : " " + row.actionNote);
    }

    /** Why a CLI option has no action input (null when it has one, or is action-only). */
    public String notInAction() {
        return row.notInAction;
    }

    /** For an action-only input: what the CLI does instead. */
    public String cliEquivalent() {
        return row.cliEquivalent;
    }

    public static Optional<OptionTable> forFlag(String flag) {
        return Arrays.stream(values()).filter(o -> flag.equals(o.row.flag)).findFirst();
    }

    /** Every input the action reads, in table order (action.yml declares exactly these). */
    public static List<OptionTable> inputs() {
        return Arrays.stream(values()).filter(o -> o.row.input != null).toList();
    }
}
