package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * What ran before is never lost: releases are ordered by the host's own history (not by release ids
 * made from a deploying machine's clock), and a deploy that cannot write its files changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NothingLostTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    private static Deployer deployer(Clock clock) throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED, clock);
    }

    private static String mainPid() {
        return host.exec("systemctl show -p MainPID --value litellm.service").strip();
    }

    @Test
    @Order(1)
    void aDeployFromAMachineWhoseClockIsAMonthBehindIsStillTheNewestRelease() throws Exception {
        HostResult first = deployer(Clock.systemUTC()).deploy(Fixtures.exampleBundle(work.resolve("a")), Fixtures.targets(host)).hosts().get(0);
        assertTrue(first.outcome().ok(), first.message());
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofDays(-30));
        Bundle second = Fixtures.changedBundle(work.resolve("b"), "second-model", Map.of());
        HostResult late = deployer(behind).deploy(second, Fixtures.targets(host)).hosts().get(0);
        assertTrue(late.outcome().ok(), late.message());
        assertTrue(late.release().compareTo(first.release()) < 0, "the late clock names the newer release " + late.release()
                + " before " + first.release());

        HostResult back = deployer(Clock.systemUTC()).rollback(Fixtures.targets(host), null).hosts().get(0);
        assertTrue(back.outcome().ok(), back.message());
        assertEquals(first.release(), back.release(), "rollback goes to the release that ran before the current one");
        assertEquals(first.release(), host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""));
    }

    @Test
    @Order(2)
    void aFullConfigDirectoryInstallsNothingAndLeavesTheRunningServiceAlone() throws Exception {
        String pid = mainPid();
        String before = host.exec("sha256sum /etc/litellm/config.yaml /etc/systemd/system/litellm.service");
        host.exec("cp -a /etc/litellm /root/litellm-etc && mount -t tmpfs -o size=64k tmpfs /etc/litellm"
                + " && cp -a /root/litellm-etc/. /etc/litellm/ && chown root:litellm /etc/litellm && chmod 0750 /etc/litellm"
                + " && (dd if=/dev/zero of=/etc/litellm/filler bs=1k count=200 2>/dev/null || true)");
        try {
            HostResult r = deployer(Clock.systemUTC()).deploy(Fixtures.changedBundle(work.resolve("full"), "third-model", Map.of()),
                    Fixtures.targets(host)).hosts().get(0);
            assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
            assertTrue(r.message().contains("Nothing was installed; the service was not touched"), r.message());
            assertEquals(pid, mainPid(), "the running service was not restarted");
            assertEquals("", host.exec("find /etc/litellm /etc/systemd/system -name '*.litellm-deploy.new'").strip(), "no half-written file left");
        } finally {
            host.exec("umount /etc/litellm && rm -rf /root/litellm-etc");
        }
        assertEquals(before, host.exec("sha256sum /etc/litellm/config.yaml /etc/systemd/system/litellm.service"));
    }
}
