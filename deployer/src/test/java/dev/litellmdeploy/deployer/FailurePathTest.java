package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * Every outcome a deploy can end in, and every misreport of issue 15, against an {@link InProcessHost} (no containers,
 * seconds for the class): each test scripts one fault, then checks the outcome, the key sentence of its message, the
 * release the result says runs, and what the host model holds afterwards (what runs, {@code current}, the audit line).
 * Every successful run also proves that the steps that ran are the plan's. {@code OutcomeTruthTest} checks the same
 * outcomes on a real systemd host; this class is the fast net under it. {@code -DargLine=-Dfailurepath.debug=true} prints every
 * run's steps with their times and its message.
 */
class FailurePathTest {
    @TempDir
    static Path work;

    static Bundle alpha;
    static Bundle beta;
    static DeploySettings restart;

    final InProcessHost host = new InProcessHost("fake-1");

    @BeforeAll
    static void bundles() throws Exception {
        alpha = Fixtures.changedBundle(work, "alpha", Map.of());
        beta = Fixtures.changedBundle(work, "beta", Map.of());
        restart = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(1));
    }

    static DeploySettings blueGreen() {
        return restart.withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(1), Duration.ZERO, List.of()));
    }

    /** Release names a minute apart, so two deploys in one second still get their own names. */
    static final Clock CLOCK = new Clock() {
        private final AtomicLong minutes = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.parse("2026-12-01T00:00:00Z").plusSeconds(60 * minutes.getAndIncrement());
        }
    };

    /** A run: the plan the deployer announced and what it reported. */
    record Run(DeploymentPlan plan, HostResult result) {
        List<String> executed() {
            return result.steps().stream().map(StepTiming::step).toList();
        }

        /** The steps that ran after the last one named {@code step} (the undo, after a failure). */
        List<String> after(String step) {
            List<String> e = executed();
            return e.subList(e.lastIndexOf(step) + 1, e.size());
        }

        String excerpt() {
            return result.outcome() + ": " + result.message() + "\n  steps: " + executed();
        }
    }

    Run deploy(Bundle bundle, DeploySettings settings) throws Exception {
        return run(settings, null, d -> d.deploy(bundle, List.of(host.target())));
    }

    Run rollback(String to, DeploySettings settings) throws Exception {
        return run(settings, null, d -> d.rollback(List.of(host.target()), to));
    }

    interface Action {
        DeployResult on(Deployer d) throws Exception;
    }

    /** Runs with {@code onStep} told of every step started; asserts that a successful run ran exactly its plan. */
    Run run(DeploySettings settings, DeployListener onStep, Action action) throws Exception {
        List<DeploymentPlan> planned = new ArrayList<>();
        DeployListener listener = Fixtures.checked(new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                planned.add(plan);
            }

            @Override
            public void stepStarted(HostTarget h, String step) {
                if (onStep != null) {
                    onStep.stepStarted(h, step);
                }
            }
        });
        Deployer deployer = new Deployer(InProcessHost.connector(host), settings, listener, CLOCK)
                .reconnectingFor(Duration.ofSeconds(1), Duration.ofMillis(50));
        HostResult r = action.on(deployer).hosts().get(0);
        Run run = new Run(planned.isEmpty() ? null : planned.get(0), r);
        if (Boolean.getBoolean("failurepath.debug")) {
            System.out.println("DEBUG " + r.outcome() + " " + r.steps().stream().map(t -> t.step() + "=" + t.took().toMillis()).toList()
                    + "\n  " + r.message().replace("\n", "\n  "));
        }
        if (r.outcome().ok()) {
            assertEquals(1, planned.size(), "one plan announced: " + run.excerpt());
            assertEquals(run.plan().steps(), run.executed(), "the steps that ran are the plan's");
        }
        return run;
    }

    /** A deploy that must succeed: the known state a test starts from. */
    String deployed(Bundle bundle, DeploySettings settings) throws Exception {
        Run r = deploy(bundle, settings);
        assertEquals(HostResult.Outcome.SUCCESS, r.result().outcome(), "set-up deploy: " + r.excerpt());
        return r.result().release();
    }

    /** The last audit line's result without where and why it failed ({@link #auditWhy} has that) or the bad-release mark. */
    String auditResult() {
        return auditWhy().replaceFirst("^failed at \\S+ \\(.*?\\); ", "failed; ").replace("; release marked failed", "")
                .replaceFirst("^deployed; (\\S+) failed \\(.*\\)$", "deployed; $1 failed");
    }

    /** The last audit line's result as written: for a failure, "failed at STEP (first line of why); what runs now". */
    String auditWhy() {
        String line = host.lastAudit();
        return line.substring(line.indexOf("\"result\":\"") + 10, line.length() - 2);
    }

    String auditRelease() {
        String line = host.lastAudit();
        int i = line.indexOf("\"release\":\"") + 11;
        return line.substring(i, line.indexOf('"', i));
    }

    int bluePort() {
        return alpha.manifest().port() + 1;
    }

    // ---- restart ----

    @Test
    void aFirstDeployThenAChangedOneEachInstallStartAndRecordTheirRelease() throws Exception {
        Run first = deploy(alpha, restart);
        String a = first.result().release();
        Run second = deploy(beta, restart);
        String b = second.result().release();
        assertAll(
                () -> assertEquals(HostResult.Outcome.SUCCESS, first.result().outcome(), first.excerpt()),
                () -> assertTrue(first.result().message().startsWith("deployed " + a + " (restarted: "), first.result().message()),
                () -> assertTrue(first.executed().containsAll(List.of("ensure-uv", "ensure-user", "install", "restart")), first.excerpt()),
                () -> assertEquals(HostResult.Outcome.SUCCESS, second.result().outcome(), second.excerpt()),
                () -> assertEquals("deployed " + b + " (restarted: config.yaml changed)", second.result().message()),
                () -> assertEquals(b, host.current()),
                () -> assertEquals(b + " active enabled", host.unit(null)),
                () -> assertEquals(List.of(b, "success"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void theSameBundleAgainIsANoOpThatRestartsNothing() throws Exception {
        String a = deployed(alpha, restart);
        long pid = host.pid(null);
        int calls = host.calls().size();
        Run r = deploy(alpha, restart);
        List<String> verbs = host.calls().subList(calls, host.calls().size());
        assertAll(
                () -> assertEquals(HostResult.Outcome.NOOP, r.result().outcome(), r.excerpt()),
                () -> assertEquals("already running " + a + "; nothing changed", r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(pid, host.pid(null), "the same process runs"),
                () -> assertFalse(verbs.contains("restart") || verbs.contains("install") || verbs.contains("commit"), verbs.toString()),
                () -> assertEquals(List.of(a, "noop"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void aPrepareStepThatFailsChangesNothing() throws Exception {
        String a = deployed(alpha, restart);
        long pid = host.pid(null);
        host.failOnce("commit", 4, "an uploaded file does not match the bundle's digest");
        Run r = deploy(beta, restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.result().outcome(), r.excerpt()),
                () -> assertEquals("checking and committing the upload failed (exit 4): an uploaded file does not match the bundle's digest."
                        + " Nothing was installed; the service was not touched.", r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a, host.installed(), "the running release's files are in place"),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertEquals(pid, host.pid(null), "not restarted"),
                () -> assertEquals(List.of(r.plan().releaseId(), "failed; nothing changed"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void anInstallThatWroteNothingIsNothingChanged() throws Exception {
        String a = deployed(alpha, restart);
        long pid = host.pid(null);
        host.failOnce("install", 7, "NOT-INSTALLED: could not write the new files beside /etc/litellm/config.yaml (disk full?); nothing was installed");
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.result().outcome(), r.excerpt()),
                () -> assertEquals("could not write the new files beside /etc/litellm/config.yaml (disk full?). Nothing was installed; the"
                        + " service was not touched.", r.result().message(), "said once, without the helper's marker"),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertEquals(pid, host.pid(null), "not restarted: no rollback ran either"),
                () -> assertEquals(List.of("mark-failed", "unlock"), r.after("upload"), r.excerpt()),
                () -> assertTrue(host.unproven(b) && !host.markedFailed(b),
                        "the release that was not installed is no rollback target, and not a bad release: the disk was full"),
                () -> assertEquals(List.of(b, "failed; nothing changed"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void aReleaseThatNeverGetsReadyIsRolledBackToThePreviousOne() throws Exception {
        String a = deployed(alpha, restart);
        host.neverReady(beta);
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at wait-ready: the proxy was not ready within 1 s"),
                        r.result().message()),
                () -> assertTrue(r.result().message().endsWith("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertTrue(host.markedFailed(b), "a release that failed its own proof is marked bad"),
                () -> assertTrue(auditWhy().startsWith("failed at wait-ready (the proxy was not ready within 1 s") && auditWhy().endsWith(
                        "rolled back to " + a + "; release marked failed"), "the audit line says where, why and what runs: " + auditWhy()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertEquals(List.of("rollback", "rollback-ready", "mark-failed", "unlock"), r.after("restart"), r.excerpt()),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    /** Misreport b): nothing ran before, so the failed service is stopped, which is not "the previous release was restored". */
    @Test
    void aFailedFirstDeployIsStoppedAndDisabledNotRolledBack() throws Exception {
        host.crashLoops(alpha);
        Run r = deploy(alpha, restart);
        String a = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_FIRST_DEPLOY_STOPPED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().contains("failed at wait-ready: the service did not start: it is activating (auto-restart)"),
                        r.result().message()),
                () -> assertTrue(r.result().message().contains("the in-process host made release " + a + " crash"), "the journal tail: "
                        + r.result().message()),
                () -> assertTrue(r.result().message().endsWith("Nothing ran here before; the failed service was stopped and disabled."),
                        r.result().message()),
                () -> assertFalse(r.result().message().matches("(?is).*(rolled back|restored).*"), r.result().message()),
                () -> assertNull(r.result().release(), "nothing runs"),
                () -> assertNull(host.current()),
                () -> assertEquals("- inactive disabled", host.unit(null)),
                () -> assertEquals(List.of(a, "failed; service stopped"), List.of(auditRelease(), auditResult())));
    }

    /** Misreport a): the new release is live when record fails; it is not "nothing was installed". */
    @Test
    void aRecordThatFailsAfterTheNewReleaseIsLiveRollsBackAndMakesThePreviousCurrent() throws Exception {
        String a = deployed(alpha, restart);
        host.failOnceAfterEffects("record", 1, "chmod: changing permissions of '/var/lib/litellm-deploy/history': Input/output error");
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at record: recording the release failed"
                        + " (exit 1): chmod"), r.result().message()),
                () -> assertTrue(r.result().message().endsWith("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertFalse(r.result().message().contains("othing was installed"), r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current(), "the record moved current; the undo moved it back"),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertEquals(List.of("record-back", "rollback", "rollback-ready", "mark-failed", "unlock"), r.after("verify-models"),
                        r.excerpt()),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    @Test
    void aRollbackWhoseReinstallFailsTooIsRollbackFailed() throws Exception {
        String a = deployed(alpha, restart);
        host.crashLoops(beta).failAlways("switch", 1, "Job for litellm.service failed because the control process exited with error code.");
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.ROLLBACK_FAILED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at wait-ready: the service did not start"),
                        r.result().message()),
                () -> assertTrue(r.result().message().endsWith("\nROLLBACK FAILED too: installing " + a + " failed (exit 1): Job for litellm.service"
                        + " failed because the control process exited with error code."), r.result().message()),
                () -> assertNull(r.result().release(), "what runs is unknown"),
                () -> assertEquals(a, host.current(), "the failed release was never recorded"),
                () -> assertEquals(b + " activating enabled", host.unit(null), "the new release is still crash-looping"),
                () -> assertTrue(host.markedFailed(b)),
                () -> assertEquals(List.of(b, "failed; rollback failed"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void aConnectionLostAfterInstallReconnectsAndRollsBack() throws Exception {
        String a = deployed(alpha, restart);
        host.dropConnectionAt("restart", false);
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at restart: the connection was lost ("),
                        r.result().message()),
                () -> assertTrue(r.result().message().contains(") and came back after "), r.result().message()),
                () -> assertTrue(r.result().message().endsWith("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(List.of("reconnect", "rollback", "rollback-ready", "mark-failed", "unlock"), r.after("install"), r.excerpt()),
                () -> assertEquals(3, host.connections(), "the set-up deploy's, the lost one, the reconnect"),
                () -> assertTrue(host.unproven(b) && !host.markedFailed(b), "a lost connection is no fault of the release: not marked bad"),
                () -> assertFalse(auditWhy().contains("marked failed"), auditWhy()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertEquals(a, host.installed(), "the previous release's files are back"),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    @Test
    void aConnectionThatNeverComesBackIsRollbackFailedAndSaysToCheckStatus() throws Exception {
        String a = deployed(alpha, restart);
        int audits = host.audit().size();
        host.dropConnectionAt("restart", false);
        long start = System.nanoTime();
        Run r = run(restart, new DeployListener() {
            @Override
            public void stepStarted(HostTarget h, String step) {
                if (step.equals("restart")) {
                    host.refuseConnections(true);
                }
            }
        }, d -> d.deploy(beta, List.of(host.target())));
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.ROLLBACK_FAILED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("lost the connection to fake-1:22 after the new release was installed ("),
                        r.result().message()),
                () -> assertTrue(r.result().message().contains(" and could not reconnect within 1 s (last try: ssh: connect to host fake-1 port 22:"
                        + " Connection refused"), r.result().message()),
                () -> assertTrue(r.result().message().contains(".\nROLLBACK FAILED: the host may be running the new release or be down. Check it"
                        + " with `litellm-deploy status`"), r.result().message()),
                () -> assertNull(r.result().release()),
                () -> assertTrue(took < 5000, "the reconnect window is the one given: " + took + " ms"),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(b, host.installed(), "the new files are installed"),
                () -> assertEquals(a + " active enabled", host.unit(null), "the old process still runs (restart never ran)"),
                () -> assertEquals(audits, host.audit().size(), "no audit line: the host was out of reach"));
    }

    /**
     * The host did not notice the drop (a partition): the lost session still holds the deploy lock, so every reconnect finds
     * the host but not the lock. The rollback did not happen, and the message says why it could not.
     */
    @Test
    void aReconnectThatFindsTheLostSessionStillHoldingTheLockIsRollbackFailedAndSaysSo() throws Exception {
        String a = deployed(alpha, restart);
        int audits = host.audit().size();
        host.dropConnectionKeepingLockAt("restart");
        Run r = deploy(beta, restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.ROLLBACK_FAILED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().contains("could not reconnect within 1 s"), r.result().message()),
                () -> assertTrue(r.result().message().contains("holds the lock"), "says the host answered but its lock was held: "
                        + r.result().message()),
                () -> assertTrue(r.result().message().contains("Check it with `litellm-deploy status`"), r.result().message()),
                () -> assertNull(r.result().release()),
                () -> assertTrue(host.connections() > 3, "it did reconnect: " + host.connections() + " connections"),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null), "restart never ran"),
                () -> assertEquals(audits, host.audit().size(), "no audit line: the host's lock was not ours to use"));
    }

    @Test
    void aRollbackReturnsToThePreviousRelease() throws Exception {
        String a = deployed(alpha, restart);
        String b = deployed(beta, restart);
        Run r = rollback(null, restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.SUCCESS, r.result().outcome(), r.excerpt()),
                () -> assertEquals("rolled back to " + a, r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null)),
                () -> assertTrue(host.calls().contains("read-release")),
                () -> assertEquals(List.of(a, "rollback"), List.of(auditRelease(), auditResult())),
                () -> assertFalse(host.markedFailed(b)));
    }

    @Test
    void aRollbackToAReleaseTheHostDoesNotHaveChangesNothing() throws Exception {
        deployed(alpha, restart);
        String b = deployed(beta, restart);
        int audits = host.audit().size();
        long pid = host.pid(null);
        Run r = rollback("20200101T000000Z-000000000000", restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("release 20200101T000000Z-000000000000 is not on fake-1:22; it has: "),
                        r.result().message()),
                () -> assertEquals(b, r.result().release()),
                () -> assertEquals(b, host.current()),
                () -> assertEquals(pid, host.pid(null)),
                () -> assertEquals(audits, host.audit().size(), "a refused rollback writes no audit line"));
    }

    /** The host begins to reboot after the failure: the connection goes during the rollback itself, which then runs again. */
    @Test
    void aConnectionLostDuringTheRollbackReconnectsAndRunsTheRollbackAgain() throws Exception {
        String a = deployed(alpha, restart);
        host.neverReady(beta);
        host.dropConnectionAt("switch", false);
        Run r = deploy(beta, restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().endsWith("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertEquals(List.of("reconnect", "rollback", "rollback-ready", "mark-failed", "unlock"),
                        r.after("restart"), r.excerpt()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(a + " active enabled", host.unit(null)));
    }

    @Test
    void aRollbackWhereNothingWasEverDeployedSaysSoAndChangesNothing() throws Exception {
        Run r = rollback(null, restart);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("nothing is deployed on fake-1:22 (no release is recorded there)"),
                        r.result().message()),
                () -> assertEquals(null, r.result().release()),
                () -> assertEquals(0, host.audit().size()));
    }

    // ---- blue-green ----

    @Test
    void blueGreenFirstDeployThenAChangeSwitchesColorsAndRetiresTheOldOne() throws Exception {
        String a = deployed(alpha, blueGreen());
        assertAll(() -> assertEquals("blue", host.live()), () -> assertEquals(a + " active enabled", host.unit("blue")));
        String b = deployed(beta, blueGreen());
        assertAll(
                () -> assertEquals("green", host.live()),
                () -> assertEquals(b, host.current()),
                () -> assertEquals(b + " active enabled", host.unit("green")),
                () -> assertEquals("- inactive disabled", host.unit("blue"), "retired now (no grace)"),
                () -> assertEquals(b, host.servingOn(alpha.manifest().port()).id, "the public port serves the new release"),
                () -> assertEquals(List.of(b, "success (green live)"), List.of(auditRelease(), auditResult())));
    }

    /** The host is back where a blue-green deploy of a left it: blue live and enabled with a, green stopped, a current. */
    private void blueAloneServes(String a) {
        assertAll(
                () -> assertEquals("blue", host.live()),
                () -> assertEquals(a + " active enabled", host.unit("blue")),
                () -> assertEquals("- inactive disabled", host.unit("green")),
                () -> assertEquals(a, host.current()));
    }

    @Test
    void blueGreenAStartThatFailsStopsTheIdleColorAndChangesNothingThatServed() throws Exception {
        String a = deployed(alpha, blueGreen());
        host.crashLoops(beta);
        Run r = deploy(beta, blueGreen());
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at wait-ready: the service did not start"),
                        r.result().message()),
                () -> assertTrue(r.result().message().endsWith("The new release never received traffic (green stopped). The live color blue ("
                        + a + ") kept serving."), r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> blueAloneServes(a),
                () -> assertEquals(a, host.servingOn(alpha.manifest().port()).id),
                () -> assertEquals(List.of(b, "failed; nothing changed"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void blueGreenAProxyThatDoesNotServeTheNewColorSwitchesBack() throws Exception {
        String a = deployed(alpha, blueGreen());
        host.afterVerb("bg-switch", () -> host.proxyKeepsOldUpstream(bluePort()));
        Run r = deploy(beta, blueGreen());
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at verify-proxy: /v1/models does not list beta"),
                        r.result().message()),
                () -> assertTrue(r.result().message().contains("Switched back to blue (" + a + "), which kept running."), r.result().message()),
                () -> assertFalse(r.result().message().contains("never received traffic"), "green was live and answered verify-proxy: "
                        + r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(List.of("switch-back", "stop-green", "mark-failed", "unlock"), r.after("switch"), r.excerpt()),
                () -> blueAloneServes(a),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    /** Misreport e): record fails after the switch; the old color serves again and its release is current. */
    @Test
    void blueGreenARecordThatFailsAfterTheSwitchSwitchesBackAndMakesTheOldReleaseCurrent() throws Exception {
        String a = deployed(alpha, blueGreen());
        host.failOnceAfterEffects("record", 1, "chmod: changing permissions of '/var/lib/litellm-deploy/history': Input/output error");
        Run r = deploy(beta, blueGreen());
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 failed at record: recording the release failed"),
                        r.result().message()),
                () -> assertTrue(r.result().message().contains("Switched back to blue (" + a + "), which kept running."), r.result().message()),
                () -> assertFalse(r.result().message().contains("othing was installed"), r.result().message()),
                () -> assertFalse(r.result().message().contains("never received traffic"), "green was live until the record failed: "
                        + r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(List.of("record-back", "switch-back", "stop-green", "mark-failed", "unlock"), r.after("verify-proxy"), r.excerpt()),
                () -> blueAloneServes(a),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    /** Misreport d): drain fails after the commit; the new release is live and recorded, only the clean-up failed. */
    @Test
    void blueGreenADrainThatFailsAfterTheCommitIsADeployWhoseCleanupFailed() throws Exception {
        String a = deployed(alpha, blueGreen());
        host.failOnce("bg-drain", 1, "Cannot open netlink socket: Input/output error");
        Run r = deploy(beta, blueGreen());
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.DEPLOYED_CLEANUP_FAILED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + b + " to fake-1:22 is live, verified and recorded, but drain failed"
                        + " afterwards: draining blue failed (exit 1): Cannot open netlink socket"), r.result().message()),
                () -> assertEquals(b, r.result().release()),
                () -> assertEquals("green", host.live()),
                () -> assertEquals(b + " active enabled", host.unit("green")),
                () -> assertEquals(a + " active disabled", host.unit("blue"), "the old color is left running: retire comes after drain"),
                () -> assertEquals(b, host.current()),
                () -> assertEquals(b, host.servingOn(alpha.manifest().port()).id),
                () -> assertEquals(List.of(b, "deployed; drain failed"), List.of(auditRelease(), auditResult())));
    }

    @Test
    void blueGreenTheLiveBundleAgainIsANoOpAndARollbackSwitchesToThePreviousRelease() throws Exception {
        String a = deployed(alpha, blueGreen());
        String b = deployed(beta, blueGreen());
        Run noop = deploy(beta, blueGreen());
        Run back = rollback(null, blueGreen());
        assertAll(
                () -> assertEquals(HostResult.Outcome.NOOP, noop.result().outcome(), noop.excerpt()),
                () -> assertEquals("already running " + b + "; nothing changed", noop.result().message()),
                () -> assertEquals(HostResult.Outcome.SUCCESS, back.result().outcome(), back.excerpt()),
                () -> assertEquals("rolled back to " + a + " (started in blue, then switched)", back.result().message()),
                () -> assertEquals(a, back.result().release()),
                () -> blueAloneServes(a),
                () -> assertEquals(List.of(a, "rollback (blue-green)"), List.of(auditRelease(), auditResult())));
    }

    /** Misreport f): the first switch from restart to blue-green, then record fails: the single service runs the previous release again. */
    @Test
    void blueGreenARecordThatFailsAfterTheFirstSwitchFromRestartRestoresTheSingleService() throws Exception {
        String a = deployed(alpha, restart);
        host.failOnceAfterEffects("record", 1, "chmod: changing permissions of '/var/lib/litellm-deploy/history': Input/output error");
        Run r = deploy(beta, blueGreen());
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().contains("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertFalse(r.result().message().contains("never received traffic"), "blue was live until the record failed: "
                        + r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a + " active enabled", host.unit(null), "the single service runs and starts at boot again"),
                () -> assertNull(host.live(), "the proxy site and the colors are gone"),
                () -> assertEquals("- inactive disabled", host.unit("blue")),
                () -> assertEquals(a, host.servingOn(alpha.manifest().port()).id),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }

    /** A first blue-green deploy on a bare host whose switch fails after the site moved: nothing ran before, nothing runs now. */
    @Test
    void blueGreenAFirstDeployWhoseSwitchFailsAfterTheSiteMovedIsStopped() throws Exception {
        host.failOnceAfterEffects("bg-switch", 1, "Job for nginx.service failed because the control process exited with error code.");
        Run r = deploy(alpha, blueGreen());
        String a = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_FIRST_DEPLOY_STOPPED, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().startsWith("deploy of " + a + " to fake-1:22 failed at switch: switching the proxy failed"
                        + " (exit 1): Job for nginx.service failed"), r.result().message()),
                () -> assertTrue(r.result().message().contains("Nothing ran here before; the proxy site and the colors were removed."),
                        r.result().message()),
                () -> assertFalse(r.result().message().contains("never received traffic"), "blue was live: " + r.result().message()),
                () -> assertNull(r.result().release()),
                () -> assertNull(host.live()),
                () -> assertEquals("- inactive disabled", host.unit("blue")),
                () -> assertNull(host.servingOn(alpha.manifest().port()), "nothing serves the public port"),
                () -> assertNull(host.current()),
                () -> assertEquals(List.of(a, "failed; service stopped"), List.of(auditRelease(), auditResult())));
    }

    /** Leaving blue-green for restart, the new release crash-loops: the previous release serves again, as the single service. */
    @Test
    void leavingBlueGreenWithAReleaseThatCrashesPutsThePreviousReleaseBackOnThePublicPort() throws Exception {
        String a = deployed(alpha, blueGreen());
        host.crashLoops(beta);
        Run r = deploy(beta, restart);
        String b = r.plan().releaseId();
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.result().outcome(), r.excerpt()),
                () -> assertTrue(r.result().message().endsWith("Rolled back to " + a + ", which is running and ready."), r.result().message()),
                () -> assertEquals(a, r.result().release()),
                () -> assertEquals(a, host.servingOn(alpha.manifest().port()).id),
                () -> assertEquals(a + " active enabled", host.unit(null), "as the single service: the host left blue-green"),
                () -> assertNull(host.live()),
                () -> assertEquals(a, host.current()),
                () -> assertEquals(List.of(b, "failed; rolled back to " + a), List.of(auditRelease(), auditResult())));
    }
}
