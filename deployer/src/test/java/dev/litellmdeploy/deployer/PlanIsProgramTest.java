package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * The plan is the program: for every kind of run the suite knows (first deploy, no-op, changed config, changed unit,
 * rollback, the first blue-green deploy, a blue-green change and rollback, leaving blue-green, adopting a hand-made
 * setup), the steps that ran on a real host are exactly the steps the plan printed, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanIsProgramTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static final List<String> REPORT = new ArrayList<>();

    /** The plan the deployer announced (listener.planned) and what it then ran, for one run. */
    record Ran(DeploymentPlan plan, HostResult result) {
        List<String> executed() {
            return result.steps().stream().map(StepTiming::step).toList();
        }
    }

    static DeploySettings restart() throws Exception {
        return Fixtures.settings(work.resolve("uv"));
    }

    static DeploySettings blueGreen() throws Exception {
        return restart().withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(10), Duration.ZERO, MachinePreparation.nginxPackages()));
    }

    static Ran run(String label, DeploySettings settings, Bundle deploy, String rollbackTo, boolean rollback) throws Exception {
        List<DeploymentPlan> planned = new ArrayList<>();
        DeployListener listener = Fixtures.checked(new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                planned.add(plan);
            }
        });
        Deployer deployer = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, listener);
        HostResult r = rollback ? deployer.rollback(Fixtures.targets(host), rollbackTo).hosts().get(0)
                : deployer.deploy(deploy, Fixtures.targets(host)).hosts().get(0);
        assertTrue(r.outcome().ok(), label + ": " + r.outcome() + " " + r.message());
        assertEquals(1, planned.size(), label + ": one plan announced");
        Ran ran = new Ran(planned.get(0), r);
        assertEquals(ran.plan().steps(), ran.executed(), label + ": the steps that ran are the plan's");
        REPORT.add(String.format("%-28s %s", label, String.join(" -> ", ran.executed())));
        return ran;
    }

    static Ran deploy(String label, DeploySettings settings, Bundle bundle) throws Exception {
        return run(label, settings, bundle, null, false);
    }

    static Ran rollback(String label, DeploySettings settings) throws Exception {
        return run(label, settings, null, null, true);
    }

    static Bundle v(String name) throws Exception {
        return Fixtures.changedBundle(work, name, Map.of());
    }

    @AfterAll
    static void writeReport() throws Exception {
        Files.writeString(MachinePreparation.projectRoot().resolve("deployer/target/plan-is-program.txt"), String.join("\n", REPORT) + "\n");
    }

    @BeforeAll
    static void nothingIsDeployed() {
        // a bare host: the first test is a first deploy
    }

    @Test
    @Order(1)
    void restartModeRunsWhatItPlans() throws Exception {
        Bundle v1 = v("v1");
        Ran first = deploy("first deploy", restart(), v1);
        assertTrue(first.executed().containsAll(List.of("upload", "ensure-user", "install", "restart")), first.executed().toString());
        Ran noop = deploy("no-op", restart(), v1);
        assertEquals(HostResult.Outcome.NOOP, noop.result().outcome());
        deploy("changed config", restart(), v("v2"));
        Ran unit = deploy("changed unit", restart(), Fixtures.changedBundle(work, "v2u", Map.of("LITELLM_LOG", "DEBUG")));
        assertTrue(unit.plan().unitChanged(), unit.plan().toString());
        Ran back = rollback("rollback", restart());
        assertTrue(back.executed().contains("install") && back.executed().contains("record"), back.executed().toString());
    }

    @Test
    @Order(2)
    void blueGreenRunsWhatItPlans() throws Exception {
        Ran first = deploy("blue-green first (from restart)", blueGreen(), v("v3"));
        assertTrue(first.executed().containsAll(List.of("ensure-proxy", "start-blue", "switch", "verify-proxy", "record", "drain")),
                first.executed().toString());
        deploy("blue-green changed", blueGreen(), v("v4"));
        deploy("blue-green no-op", blueGreen(), v("v4"));
        rollback("blue-green rollback", blueGreen());
        Ran leave = deploy("leave blue-green", restart(), v("v5"));
        assertTrue(leave.executed().contains("leave-blue-green"), leave.executed().toString());
    }

    @Test
    @Order(3)
    void adoptingAHandMadeSetupRunsWhatItPlans() throws Exception {
        String unit = Files.readString(MachinePreparation.projectRoot().resolve("deployer/src/test/resources/seed/litellm.service"));
        host.exec("systemctl disable --now litellm; rm -rf /var/lib/litellm-deploy /etc/litellm /etc/systemd/system/litellm.service;"
                + " mkdir -p /etc/litellm && printf 'model_list: []\\n' > /etc/litellm/config.yaml && chmod 0644 /etc/litellm/config.yaml"
                + " && echo " + java.util.Base64.getEncoder().encodeToString(unit.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + " | base64 -d > /etc/systemd/system/litellm.service && systemctl daemon-reload && systemctl enable --now --quiet litellm");
        Ran adopt = deploy("adopting a hand-made setup", restart(), v("v6"));
        assertTrue(adopt.plan().adopting() != null && adopt.executed().contains("adopt"), adopt.executed().toString());
    }
}
