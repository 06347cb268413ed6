package dev.litellmdeploy.cli.action;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.builder.ConfigValidationException;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.Redactor;
import dev.litellmdeploy.builder.SecretsLoader;
import dev.litellmdeploy.builder.secrets.AgeIdentities;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.cli.Console;
import dev.litellmdeploy.cli.ConsoleListener;
import dev.litellmdeploy.cli.ExitCodes;
import dev.litellmdeploy.cli.OptionTable;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.cli.RedactingWriter;
import dev.litellmdeploy.cli.github.DeploymentState;
import dev.litellmdeploy.cli.github.DeploymentStatusPublisher;
import dev.litellmdeploy.cli.github.GitHubDeployments;
import dev.litellmdeploy.cli.github.PlanCommentPublisher;
import dev.litellmdeploy.cli.github.PullRequestComments;
import dev.litellmdeploy.cli.github.Waits;
import dev.litellmdeploy.deployer.DeployListener;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * {@code litellm-deploy action}: what the Docker action runs. Masks every secret before any other
 * output, builds the bundle (config errors become annotations on the template lines), records a
 * GitHub deployment for the commit, deploys, and writes outputs and a job summary. Over 250 lines because it is the one
 * place that orders those stages and their failure exits (each stage's work lives in its own class: ActionSettings,
 * ActionInputs, WorkflowCommands, Summary, DeploymentOutcome, github.*).
 */
public final class ActionRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final PrintWriter rawOut;
    private final PrintWriter rawErr;
    private final Waits waits;
    private List<String> secrets = List.of();
    /** The age identities from input age-key and sops' variables (read while masking; a problem is reported after). */
    private AgeIdentities identities = AgeIdentities.none();
    private String identityProblem;
    private WorkflowCommands annotations;

    public ActionRunner(Map<String, String> env, PrintWriter out, PrintWriter err, Waits waits) {
        this.env = env;
        this.rawOut = out;
        this.rawErr = err;
        this.waits = waits;
    }

    public int run() throws Exception {
        ActionInputs in = new ActionInputs(env);
        secrets = maskEverything(in);
        RedactingWriter outFilter = new RedactingWriter(rawOut, secrets);
        RedactingWriter errFilter = new RedactingWriter(rawErr, secrets);
        PrintWriter out = new PrintWriter(outFilter, true);
        PrintWriter err = new PrintWriter(errFilter, true);
        try {
            return runMasked(in, out, err, outFilter);
        } finally {
            out.flush();
            err.flush();
            outFilter.close();
            errFilter.close();
        }
    }

    /** Step one, before any other output: ::add-mask:: for the SSH key, passphrase, token, age identities (every line) and every secret value. */
    private List<String> maskEverything(ActionInputs in) {
        WorkflowCommands commands = new WorkflowCommands(rawOut);
        List<String> secrets = new ArrayList<>();
        List<String> multiLine = new ArrayList<>();
        for (OptionTable input : List.of(OptionTable.SSH_KEY, OptionTable.KEY_PASSPHRASE, OptionTable.GITHUB_TOKEN, OptionTable.AGE_KEY)) {
            multiLine.add(in.raw(input));
        }
        multiLine.add(env.get(AgeIdentities.SOPS_AGE_KEY));
        for (String v : multiLine) {
            if (v != null) {
                secrets.add(v.strip());
                for (String line : v.split("\\r?\\n")) {
                    if (!line.isBlank() && !line.startsWith("-----")) {
                        secrets.add(line.strip());
                    }
                }
            }
        }
        secrets.addAll(dev.litellmdeploy.deployer.PythonSource.credentialsIn(in.raw(OptionTable.PYTHON_INDEX)));
        secrets.addAll(dev.litellmdeploy.deployer.PythonSource.credentialsIn(in.raw(OptionTable.PYTHON_INSTALL_MIRROR)));
        String workspace = env.getOrDefault("GITHUB_WORKSPACE", ".");
        try {
            AgeIdentities given = in.raw(OptionTable.AGE_KEY) == null ? AgeIdentities.none()
                    : AgeIdentities.parse(in.raw(OptionTable.AGE_KEY), "input age-key", true);
            identities = given.plus(AgeIdentities.sopsEnvironment(env));
            secrets.addAll(identities.secretTexts());
        } catch (DecryptionException e) {
            identityProblem = e.getMessage();
        }
        String secretsDir = in.get(OptionTable.SECRETS);
        if (secretsDir != null) {
            try {
                secrets.addAll(new SecretsLoader(identities).load(Path.of(workspace).resolve(secretsDir)).secretStrings());
            } catch (ConfigValidationException e) {
                // reported once the log is masked; values that did load are not known here
            }
        }
        String config = in.get(OptionTable.CONFIG);
        if (config != null) {
            try {
                Object parsed = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of(workspace).resolve(config)));
                secrets.addAll(Redactor.sensitiveValues(parsed));
            } catch (IOException | RuntimeException e) {
                // reported by the build
            }
        }
        for (String s : secrets) {
            commands.mask(s);
        }
        return withLines(secrets);
    }

    /**
     * The secrets and, for a multi-line one (a JSON key), each line of it that the runner masks: this process's own filter
     * hides a line printed alone as the runner would (lines too common to mask, like {, hide nothing and are left).
     */
    static List<String> withLines(List<String> secrets) {
        List<String> all = new ArrayList<>(secrets);
        for (String s : secrets) {
            if (s.contains("\n")) {
                s.lines().filter(WorkflowCommands::maskable).map(String::strip).forEach(all::add);
            }
        }
        return all;
    }

    /** Values the build hid that step one could not know (a template's own literals): masked before they could be printed. */
    private void maskAlso(List<String> hidden, PrintWriter out) {
        out.flush();
        WorkflowCommands raw = new WorkflowCommands(rawOut);
        for (String s : hidden) {
            if (!secrets.contains(s)) {
                raw.mask(s);
            }
        }
        SecretRegistry.global().add(hidden);
    }

    private int runMasked(ActionInputs in, PrintWriter out, PrintWriter err, RedactingWriter filter) throws Exception {
        WorkflowCommands commands = new WorkflowCommands(out);
        annotations = commands;
        Console console = new Console(out, err);
        GitHubContext gh;
        try {
            gh = GitHubContext.from(env);
        } catch (IllegalArgumentException e) {
            commands.error(null, 0, e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        List<String> problems = new ArrayList<>();
        ActionSettings s = ActionSettings.from(in, gh, problems);
        if (identityProblem != null) {
            problems.add(identityProblem);
        }
        boolean records = s.token() != null && !s.plans() && !ActionSettings.STATUS.equals(s.command()) && !s.statusCheck();
        DeploymentStatusPublisher publisher = records ? new GitHubDeployments(gh.apiUrl(), s.token(), gh.repository(), gh.runUrl(), s.flags(),
                commands::warning, out::println, waits) : DeploymentStatusPublisher.NONE;
        if (s.token() == null) {
            out.println("No github-token given: no GitHub deployment is recorded.");
        }
        if (ActionSettings.PULL_REQUEST_EVENTS.contains(gh.eventName()) && ActionSettings.PLAN.equals(s.command())) {
            out.println(gh.eventName() + " event: planning only (nothing is changed or recorded on the servers).");
        }
        int pr = s.plans() ? gh.pullRequest() : -1;
        PlanCommentPublisher comments = pr > 0 && s.token() != null
                ? new PullRequestComments(gh.apiUrl(), s.token(), gh.repository(), commands::warning, out::println, waits) : PlanCommentPublisher.NONE;
        Summary summary = new Summary(gh, s);
        if (!problems.isEmpty()) {
            problems.forEach(p -> commands.error(null, 0, p));
            publisher.couldNotStart(gh.sha(), s.environment(), "Could not start: " + problems.size() + " invalid input(s); see the run log",
                    payload(null, s.hosts()));
            summary.invalid(problems);
            return finish(gh, summary, Map.of("changed", "false"), ExitCodes.INVALID_INPUT);
        }

        if (ActionSettings.ROLLBACK.equals(s.command())) {
            CommandRun.Result done = CommandRun.rollback(s, gh, publisher, commands, out, summary);
            return finish(gh, summary, done.outputs(), done.exitCode());
        }
        if (ActionSettings.STATUS.equals(s.command())) {
            CommandRun.Result done = CommandRun.status(s, commands, out, summary);
            return finish(gh, summary, done.outputs(), done.exitCode());
        }
        commands.group("Build the bundle");
        Path bundleDir = Files.createTempDirectory("litellm-deploy-action").resolve("bundle");
        BuildResult built;
        try {
            BuildRequest request = s.config() != null ? BuildRequest.fromConfig(s.config(), bundleDir, s.bundle())
                    : BuildRequest.fromTemplates(s.templates(), s.secrets(), bundleDir, s.bundle());
            built = new ConfigBuilder(new SecretsLoader(identities)).build(request);
            maskAlso(built.redactor().secrets(), out);
            built.warnings().forEach(console::finding);
            out.println("Built bundle " + built.manifest().bundleId().substring(0, 12) + ": " + Printable.values(built.manifest().models()));
        } catch (ConfigValidationException e) {
            commands.endGroup();
            Path base = s.config() != null ? s.config().getParent() : null;
            for (Finding f : e.findings()) {
                if (f.isError()) {
                    commands.error(annotationPath(gh, s, base, f), f.location().line(), "[" + f.code() + "] " + f.message());
                }
            }
            long errors = e.findings().stream().filter(Finding::isError).count();
            comments.publish(pr, PlanComment.marker(s.environment()), PlanComment.invalid(gh, s.environment(), e.findings()));
            publisher.couldNotStart(gh.sha(), s.environment(), "Could not start: " + errors
                    + " problem(s) in the templates or secrets; nothing was deployed", payload(null, s.hosts()));
            summary.configErrors(e.findings());
            return finish(gh, summary, Map.of("changed", "false"), ExitCodes.INVALID_INPUT);
        }
        commands.endGroup();

        Bundle bundle = Bundle.read(bundleDir);
        if (s.statusCheck()) {
            StatusCheckRun.Result checked = StatusCheckRun.run(s, bundle, commands, out, summary);
            return finish(gh, summary, checked.outputs(), checked.exitCode());
        }
        long deploymentId = publisher.start(gh.sha(), s.environment(), DeploymentStatusPublisher.DEPLOY, "Deploying "
                + bundle.bundleId().substring(0, 12) + " to " + s.hosts().size() + " host(s)", payload(bundle.bundleId(), s.hosts()));

        commands.group((s.plans() ? "Plan" : "Deploy") + " (" + s.hosts().size() + " host(s))");
        List<String> diffs = java.util.Collections.synchronizedList(new ArrayList<>());
        DeployListener listener = new ConsoleListener(out, plan -> diffs.add(plan.diff()));
        DeployResult result;
        try {
            Deployer deployer = new Deployer(s.ssh(), s.deploy(), listener);
            result = s.plans() ? deployer.plan(bundle, s.hosts()) : deployer.deploy(bundle, s.hosts());
        } catch (dev.litellmdeploy.deployer.remote.ConnectionException e) {
            commands.endGroup();
            commands.error(null, 0, e.getMessage());
            publisher.finish(DeploymentState.ERROR, "Could not start: " + e.getMessage(), null);
            summary.connectionError(e.getMessage());
            return finish(gh, summary, Map.of("changed", "false"), ExitCodes.CONNECTION);
        }
        commands.endGroup();
        int code = dev.litellmdeploy.cli.Results.exitCode(result);
        DeploymentOutcome.report(result, commands, out);
        publisher.finish(DeploymentOutcome.state(result), DeploymentOutcome.description(result), result.ok() ? s.environmentUrl() : null);
        if (s.plans()) {
            comments.publish(pr, PlanComment.marker(s.environment()), PlanComment.planned(gh, s.environment(), bundle.bundleId(), result,
                    built.warnings()));
        }
        summary.deployed(result, built, diffs.isEmpty() ? "" : diffs.get(0));
        Map<String, String> outputs = DeploymentOutcome.outputs(deploymentId, result, s);
        outputs.put("config-sha256", built.manifest().files().get("config.yaml"));
        return finish(gh, summary, outputs, code);
    }

    /** The annotation's file, relative to the repository root as GitHub wants it. */
    private static String annotationPath(GitHubContext gh, ActionSettings s, Path configDir, Finding f) {
        if (f.location().file().isEmpty()) {
            return null;
        }
        Path workspace = Path.of(gh.workspace());
        Path base = f.code().startsWith("secrets-") ? s.secrets() : s.templates() != null ? s.templates() : configDir;
        Path file = base == null ? Path.of(f.location().file()) : base.resolve(f.location().file());
        return file.startsWith(workspace) ? workspace.relativize(file).toString() : file.toString();
    }

    private static String payload(String bundleId, List<HostTarget> hosts) {
        return payload("bundle", bundleId, hosts);
    }

    /** The deployment's payload: what was deployed ({@code bundle}, or {@code rollback_to} for a rollback) and where. */
    static String payload(String key, String value, List<HostTarget> hosts) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(key, value);
        p.put("hosts", hosts.stream().map(HostTarget::toString).toList());
        try {
            return JSON.writeValueAsString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int finish(GitHubContext gh, Summary summary, Map<String, String> outputs, int code) throws IOException {
        annotations.closeAnnotations();
        summary.annotations(annotations.overflowed());
        StringBuilder o = new StringBuilder();
        outputs.forEach((k, v) -> o.append(k).append('=').append(v == null ? "" : v.replaceAll("[\\r\\n]", " ")).append('\n'));
        append(gh.outputFile(), o.toString());
        append(gh.summaryFile(), summary.markdown());
        return code;
    }

    private void append(String file, String text) throws IOException {
        try (Writer w = new RedactingWriter(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), secrets)) {
            w.write(text);
        }
    }
}
