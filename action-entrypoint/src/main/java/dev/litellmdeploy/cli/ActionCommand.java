package dev.litellmdeploy.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.litellmdeploy.cli.action.ActionRunner;
import dev.litellmdeploy.cli.github.Waits;
import picocli.CommandLine.Command;

@Command(name = "action", mixinStandardHelpOptions = true,
        description = {
            "Run as the GitHub Action: inputs from INPUT_* (INPUT_SSH-KEY, ...), the run from GITHUB_*. Masks every secret",
            "first, builds, records a GitHub deployment (in_progress, then success / failure / error), deploys, and writes",
            "outputs to $GITHUB_OUTPUT and a report to $GITHUB_STEP_SUMMARY. See action.yml for the inputs.",
        })
public final class ActionCommand implements Callable<Integer> {
    private Map<String, String> env = System.getenv();
    private Waits waits = Waits.real(Duration.ofSeconds(1));

    /** Tests run the action in-process with a runner-like environment and short retry waits. */
    public void setEnvironmentForTests(Map<String, String> environment, Duration backoff) {
        setEnvironmentForTests(environment, Waits.real(backoff));
    }

    /** ... and a clock and sleeper of their own (rate-limit waits recorded, not slept). */
    public void setEnvironmentForTests(Map<String, String> environment, Waits waits) {
        this.env = environment;
        this.waits = waits;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return new ActionRunner(env, spec.commandLine().getOut(), spec.commandLine().getErr(), waits).run();
    }
}
