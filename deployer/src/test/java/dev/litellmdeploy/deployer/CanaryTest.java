package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The canary stage (--canary N) across in-process hosts, each speaking the helper's verbs with scripted faults: a failing
 * canary leaves every other host untouched (no call at all after the set-up), canaries that had succeeded are rolled back
 * to the release they ran, and a good release reaches the others only after every canary recorded it.
 */
class CanaryTest {
    @TempDir
    static Path work;
    static Bundle alpha;
    static Bundle beta;
    static DeploySettings settings;

    final InProcessHost one = new InProcessHost("h1");
    final InProcessHost two = new InProcessHost("h2");
    final InProcessHost three = new InProcessHost("h3");
    final List<String> order = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void bundles() throws Exception {
        alpha = Fixtures.changedBundle(work, "alpha", Map.of());
        beta = Fixtures.changedBundle(work, "beta", Map.of());
        settings = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(1)).withHosts(4, false);
    }

    private DeployResult deploy(Bundle b, int canary) throws Exception {
        DeployListener listener = Fixtures.checked(new DeployListener() {
            @Override
            public void stepStarted(HostTarget h, String step) {
                order.add(h.host() + " " + step);
            }
        });
        return new Deployer(InProcessHost.connector(one, two, three), settings.withCanary(canary), listener, FailurePathTest.CLOCK)
                .deploy(b, List.of(one.target(), two.target(), three.target()));
    }

    private String setUp() throws Exception {
        DeployResult r = deploy(alpha, 0);
        r.hosts().forEach(h -> assertEquals(HostResult.Outcome.SUCCESS, h.outcome(), h.message()));
        order.clear();
        return one.current();
    }

    /** The bundle a release id is of (ids are the host's time, then the bundle id). */
    private static String bundleOf(String release) {
        return release.substring(release.indexOf('-') + 1);
    }

    @Test
    void aFailingCanaryIsRolledBackAndNoOtherHostIsTouched() throws Exception {
        String before = setUp();
        int callsTwo = two.calls().size();
        int callsThree = three.calls().size();
        one.failOnce("restart", 1, "Job for litellm.service failed");
        DeployResult r = deploy(beta, 1);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.hosts().get(0).outcome(), r.hosts().get(0).message()),
                () -> assertEquals(before, one.current(), "the canary runs the release before again"),
                () -> assertEquals(HostResult.Outcome.NOT_ATTEMPTED, r.hosts().get(1).outcome()),
                () -> assertEquals(HostResult.Outcome.NOT_ATTEMPTED, r.hosts().get(2).outcome()),
                () -> assertTrue(r.hosts().get(1).message().contains("the canary stage failed on h1"), r.hosts().get(1).message()),
                () -> assertEquals(callsTwo, two.calls().size(), "h2 was not even connected to: " + two.calls()),
                () -> assertEquals(callsThree, three.calls().size(), "h3 was not even connected to"));
    }

    @Test
    void whenOneOfTwoCanariesFailsTheOtherIsRolledBackToo() throws Exception {
        String before = setUp();
        String beforeTwo = two.current();
        String beforeThree = three.current();
        two.failOnce("restart", 1, "Job for litellm.service failed");
        DeployResult r = deploy(beta, 2);
        HostResult first = r.hosts().get(0);
        assertAll(
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, first.outcome(), first.message()),
                () -> assertTrue(first.message().startsWith("deployed ") && first.message().contains("then rolled back because the canary stage"
                        + " failed on h2"), first.message()),
                () -> assertEquals(before, one.current(), "the canary that had succeeded runs the release before again"),
                () -> assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.hosts().get(1).outcome()),
                () -> assertEquals(beforeTwo, two.current()),
                () -> assertEquals(HostResult.Outcome.NOT_ATTEMPTED, r.hosts().get(2).outcome()),
                () -> assertEquals(beforeThree, three.current()));
    }

    @Test
    void aGoodReleaseReachesTheOthersOnlyAfterEveryCanaryRecordedIt() throws Exception {
        setUp();
        DeployResult r = deploy(beta, 1);
        r.hosts().forEach(h -> assertEquals(HostResult.Outcome.SUCCESS, h.outcome(), h.message()));
        assertEquals(bundleOf(r.hosts().get(0).release()), bundleOf(two.current()));
        assertEquals(bundleOf(one.current()), bundleOf(three.current()));
        int canaryRecorded = order.indexOf("h1 record");
        int othersStart = Math.min(order.indexOf("h2 connect"), order.indexOf("h3 connect"));
        assertTrue(canaryRecorded >= 0 && othersStart > canaryRecorded, "the others start after the canary recorded: " + order);
    }
}
