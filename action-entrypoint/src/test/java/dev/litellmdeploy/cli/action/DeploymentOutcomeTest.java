package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.cli.ExitCodes;
import dev.litellmdeploy.cli.Results;
import dev.litellmdeploy.cli.github.DeploymentState;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostResult.Outcome;
import dev.litellmdeploy.deployer.HostTarget;

/** Every outcome maps to one exit code and one GitHub deployment state, and the deployment says what runs. */
class DeploymentOutcomeTest {
    static DeployResult of(Outcome... outcomes) {
        List<HostResult> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            hosts.add(new HostResult(new HostTarget("h" + i, 22), outcomes[i], null, null, List.of(), "m"));
        }
        return new DeployResult(hosts);
    }

    @Test
    void everyOutcomeHasItsExitCodeAndDeploymentState() {
        record Expect(Outcome outcome, int exit, DeploymentState state) {
        }
        List<Expect> table = List.of(
                new Expect(Outcome.SUCCESS, ExitCodes.OK, DeploymentState.SUCCESS),
                new Expect(Outcome.NOOP, ExitCodes.OK, DeploymentState.SUCCESS),
                new Expect(Outcome.FAILED_NOTHING_CHANGED, ExitCodes.ROLLED_BACK, DeploymentState.FAILURE),
                new Expect(Outcome.FAILED_ROLLED_BACK, ExitCodes.ROLLED_BACK, DeploymentState.FAILURE),
                new Expect(Outcome.FAILED_FIRST_DEPLOY_STOPPED, ExitCodes.ROLLED_BACK, DeploymentState.FAILURE),
                new Expect(Outcome.ROLLBACK_FAILED, ExitCodes.ROLLBACK_FAILED, DeploymentState.FAILURE),
                // live, verified and recorded: the deployment is a success (that is what runs), the exit code says the clean-up failed
                new Expect(Outcome.DEPLOYED_CLEANUP_FAILED, ExitCodes.CLEANUP_FAILED, DeploymentState.SUCCESS),
                new Expect(Outcome.CONNECTION_FAILED, ExitCodes.CONNECTION, DeploymentState.ERROR));
        assertEquals(Outcome.values().length - 1, table.size(), "every outcome but NOT_ATTEMPTED (only after another host failed) is listed");
        for (Expect e : table) {
            assertEquals(e.exit(), Results.exitCode(of(e.outcome())), e.outcome().name());
            assertEquals(e.state(), DeploymentOutcome.state(of(e.outcome())), e.outcome().name());
        }
        assertEquals("Deployed to 2 host(s); a clean-up after the switch failed on 1; see the run log",
                DeploymentOutcome.description(of(Outcome.SUCCESS, Outcome.DEPLOYED_CLEANUP_FAILED)));
    }
}
