package dev.litellmdeploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code litellm-deploy}: build a LiteLLM config bundle and deploy it over SSH under systemd. */
@Command(
        name = "litellm-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Build a LiteLLM proxy config from templates and a secrets repo, deploy it to Linux servers "
                    + "over SSH under systemd, and show the deployment on GitHub.",
            "",
            "Typical use: @|bold litellm-deploy build|@ --templates DIR --secrets DIR --out bundle, then "
                    + "@|bold litellm-deploy plan|@ / @|bold deploy|@ --bundle bundle --host HOST ...",
        },
        subcommands = {
            LockCommand.class,
            BuildCommand.class,
            ValidateCommand.class,
            SecretsCommand.class,
            PlanCommand.class,
            DeployCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            HelperCommand.class,
            LogsCommand.class,
            DemoCommand.class,
            ActionCommand.class,
            WarmupCommand.class,
            CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (or nothing to do)",
            "1:unexpected internal error",
            "2:usage error: unknown option, missing or malformed argument",
            "3:invalid input: templates, secrets, config or bundle",
            "4:connection failed: SSH, host key, authentication or sudo",
            "5:deploy failed; the server runs what it ran before: untouched, or the previous release restored and proven ready, or (a first deploy) nothing: the failed service was stopped",
            "6:deploy failed and what ran before could not be restored (or the connection did not come back): check the host",
            "7:deployed (live, verified, recorded), but a clean-up after the switch failed (the old blue-green color may still run)",
            "8:status --check: a server drifted from its recorded release, is not ready, or runs another release than --expect-release",
        })
public final class LitellmDeployCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        RedactingOutputStream.installOnStandardStreams();
        System.exit(execute(args));
    }

    /**
     * Plain picocli: no dependency-injection context is started (no class here is a bean; Micronaut's
     * context only cost start time, docs/performance.md).
     */
    public static int execute(String... args) {
        CommandLine cli = configure(new CommandLine(new LitellmDeployCommand()));
        ProjectFileDefaults project;
        try {
            project = ProjectFileDefaults.find(args);
        } catch (IllegalArgumentException e) {
            new Console(cli.getOut(), cli.getErr()).problem(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (project != null) {
            cli.setDefaultValueProvider(project);
        }
        return cli.execute(args);
    }

    /** Error handling shared by the real entry point and tests. */
    static CommandLine configure(CommandLine cli) {
        return cli.setExecutionExceptionHandler(new ErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
