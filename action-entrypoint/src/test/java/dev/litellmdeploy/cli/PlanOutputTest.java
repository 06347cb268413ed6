package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostTarget;

/** What `plan` prints for a host that runs a service litellm-deploy did not make, for people and with --json. */
class PlanOutputTest {
    static final String ADOPTING = "adopting the existing litellm.service (not managed by litellm-deploy): it is saved as release 0-adopted"
            + " and restored if this deploy fails";

    static DeploymentPlan plan(String adopting) {
        return new DeploymentPlan(new HostTarget("agent", 22), "20261201T000000Z-abcdefabcdef", null, List.of("config.yaml", "litellm.service"),
                false, false, true, "config.yaml, litellm.service changed", List.of(new dev.litellmdeploy.deployer.steps.Prepare.Adopt(),
                new dev.litellmdeploy.deployer.steps.Prepare.Upload("20261201T000000Z-abcdefabcdef")), "", adopting);
    }

    @Test
    void thePlanForAPeopleSaysItAdoptsTheExistingService() {
        StringWriter out = new StringWriter();
        PlanPrinter.print(new Console(new PrintWriter(out), new PrintWriter(new StringWriter())), plan(ADOPTING));
        assertTrue(out.toString().contains("current release: " + ADOPTING), out.toString());

        StringWriter bare = new StringWriter();
        PlanPrinter.print(new Console(new PrintWriter(bare), new PrintWriter(new StringWriter())), plan(null));
        assertTrue(bare.toString().contains("current release: none (first deploy)"), bare.toString());
    }

    @Test
    void theJsonPlanCarriesTheAdoption() throws Exception {
        StringWriter out = new StringWriter();
        HostResult h = new HostResult(new HostTarget("agent", 22), HostResult.Outcome.NOOP, plan(ADOPTING), null, List.of(), "planned only");
        Results.print(new Console(new PrintWriter(out), new PrintWriter(new StringWriter())), new DeployResult(List.of(h)), true);
        assertEquals(ADOPTING, Results.JSON.readTree(out.toString()).get("hosts").get(0).get("adopting").asText(), out.toString());

        StringWriter bare = new StringWriter();
        Results.print(new Console(new PrintWriter(bare), new PrintWriter(new StringWriter())),
                new DeployResult(List.of(new HostResult(h.host(), h.outcome(), plan(null), null, List.of(), "planned only"))), true);
        assertFalse(bare.toString().contains("adopting"), bare.toString());
    }

    @Test
    void aConfigEditedOnTheServerIsDriftNotOnlySecretValues() throws Exception {
        dev.litellmdeploy.deployer.Drift drift = new dev.litellmdeploy.deployer.Drift(List.of(new dev.litellmdeploy.deployer.Drift.Item(
                dev.litellmdeploy.deployer.Drift.Kind.EDITED, "config.yaml", null, "/etc/litellm/config.yaml", 2, 0, "a".repeat(64))));
        DeploymentPlan p = new DeploymentPlan(new HostTarget("agent", 22), "r1", "r1", List.of("config.yaml"), false, false, true,
                "repairs drift (config.yaml edited)", List.of(), "", null, drift);
        StringWriter out = new StringWriter();
        PlanPrinter.print(new Console(new PrintWriter(out), new PrintWriter(new StringWriter())), p);
        assertTrue(out.toString().contains("    drift: config.yaml edited on the server (2 lines: +2 -0)"), out.toString());
        assertFalse(out.toString().contains("only secret values changed"), out.toString());

        StringWriter secretsOnly = new StringWriter();
        PlanPrinter.print(new Console(new PrintWriter(secretsOnly), new PrintWriter(new StringWriter())), new DeploymentPlan(p.host(), "r2", "r1",
                List.of("config.yaml"), false, false, true, "config.yaml changed", List.of(), "", null));
        assertTrue(secretsOnly.toString().contains("only secret values changed"), "a bundle whose secrets changed still says so");

        StringWriter json = new StringWriter();
        Results.print(new Console(new PrintWriter(json), new PrintWriter(new StringWriter())),
                new DeployResult(List.of(new HostResult(p.host(), HostResult.Outcome.NOOP, p, null, List.of(), "planned only"))), true);
        assertEquals("config.yaml edited on the server (2 lines: +2 -0)", Results.JSON.readTree(json.toString()).get("hosts").get(0).get("drift").get(0)
                .asText(), json.toString());
    }
}
