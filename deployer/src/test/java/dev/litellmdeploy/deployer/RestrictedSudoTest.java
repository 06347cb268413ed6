package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * A deploy user that sudoers allows exactly one command: the installed helper (the snippet in
 * docs/security.md). It deploys; it cannot get a root shell, run installer scripts as root,
 * install a unit that runs as root, or use a helper that was changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestrictedSudoTest {
    static final String USER = RestrictedUser.NAME;

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    @BeforeAll
    static void restrictedUser() {
        RestrictedUser.setUp(host);
    }

    private static ExecResult asLimited(String command) {
        return host.execResult("su -s /bin/bash " + USER + " -c '" + command + "'");
    }

    private Deployer deployer(String sudoHelper) throws Exception {
        return new Deployer(Fixtures.ssh(host, USER), Fixtures.settings(work.resolve("uv")).withSudoHelper(sudoHelper), Fixtures.LEAK_CHECKED);
    }

    private String mainPid() {
        return host.exec("systemctl show -p MainPID --value litellm.service").strip();
    }

    @Test
    @Order(1)
    void theUserGetsTheHelperAndNothingElse() {
        assertNotEquals(0, asLimited("sudo -n bash -c id").getExitCode(), "no root shell");
        assertNotEquals(0, asLimited("sudo -n /bin/cat /etc/shadow").getExitCode(), "no other command");
        assertEquals("1", asLimited("sudo -n " + HelperScript.DEFAULT_PATH + " version").getStdout().strip());
        ExecResult escape = asLimited("sudo -n " + HelperScript.DEFAULT_PATH + " switch ../../../etc");
        assertNotEquals(0, escape.getExitCode());
        assertTrue(escape.getStderr().contains("not a release id"), escape.getStderr());
        ExecResult installer = asLimited("sudo -n " + HelperScript.DEFAULT_PATH + " install-uv-url https://example.invalid/x.sh");
        assertNotEquals(0, installer.getExitCode());
        assertTrue(installer.getStderr().contains("does not download and run uv installer scripts as root"), installer.getStderr());
    }

    @Test
    @Order(2)
    void withoutTheHelperOptionTheDeployStopsBeforeAnyChangeAndSaysWhatToPass() throws Exception {
        HostResult r = deployer(null).deploy(Fixtures.exampleBundle(work.resolve("inline")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.CONNECTION_FAILED, r.outcome(), r.message());
        assertTrue(r.message().contains("--sudo-helper") && r.message().contains("Nothing was changed"), r.message());
        assertNotEquals(0, host.execResult("test -e /var/lib/litellm-deploy").getExitCode());
    }

    @Test
    @Order(3)
    void theRestrictedUserDeploysThroughTheHelper() throws Exception {
        HostResult r = deployer(HelperScript.DEFAULT_PATH).deploy(Fixtures.exampleBundle(work.resolve("first")), Fixtures.targets(host))
                .hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals("active", host.exec("systemctl is-active litellm.service").strip());
        assertEquals("640 root:litellm", host.exec("stat -c '%a %U:%G' /etc/litellm/config.yaml").strip());
        assertEquals("700 root:root", host.exec("stat -c '%a %U:%G' /var/lib/litellm-deploy/releases").strip());
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/staging/" + USER).strip(), "staging emptied");
        assertTrue(host.exec("journalctl --no-pager -o cat _COMM=sudo").contains("USER=root ; COMMAND=" + HelperScript.DEFAULT_PATH + " lock"),
                "sudo logged the helper verb");
    }

    @Test
    @Order(4)
    void aUnitThatWouldRunAsRootIsRefusedBeforeAnythingIsInstalled() throws Exception {
        String pid = mainPid();
        String config = host.exec("sha256sum /etc/litellm/config.yaml");
        Path templates = work.resolve("root-unit/templates");
        Bundle bundle = Fixtures.exampleBundle(work.resolve("root-unit"), Map.of("zz-extra", """
                - model_name: extra
                  litellm_params:
                    model: openai/gpt-4o-mini
                    api_key: sk-fake-extra
                """), Map.of());
        String unit = Files.readString(MachinePreparation.projectRoot().resolve("templates/litellm.service.mustache"))
                .replace("User={{user}}", "User=root").replace("Group={{user}}", "Group=root");
        Files.writeString(templates.resolve("litellm.service.mustache"), unit);
        bundle = Fixtures.rebuild(templates, work.resolve("root-unit/bundle2"));
        HostResult r = deployer(HelperScript.DEFAULT_PATH).deploy(bundle, Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("installs only its own unit"), r.message());
        assertTrue(r.message().toLowerCase(java.util.Locale.ROOT).contains("nothing was installed"), r.message());
        assertEquals(pid, mainPid(), "the running service was not touched");
        assertEquals(config, host.exec("sha256sum /etc/litellm/config.yaml"));
        assertFalse(host.exec("ls /var/lib/litellm-deploy/releases").contains(".partial"));
    }

    @Test
    @Order(5)
    void aChangedHelperIsRefused() throws Exception {
        host.exec("cp -p " + HelperScript.DEFAULT_PATH + " /root/helper.bak && echo '# changed' >> " + HelperScript.DEFAULT_PATH);
        try {
            HostResult r = deployer(HelperScript.DEFAULT_PATH).deploy(Fixtures.exampleBundle(work.resolve("changed")), Fixtures.targets(host))
                    .hosts().get(0);
            assertEquals(HostResult.Outcome.CONNECTION_FAILED, r.outcome(), r.message());
            assertTrue(r.message().contains("is not the one this deployer needs") && r.message().contains("litellm-deploy helper"),
                    r.message());
            HostStatus s = deployer(HelperScript.DEFAULT_PATH).status(Fixtures.targets(host)).get(0);
            assertEquals(null, s.error(), "status reports another helper as drift, not only as an error");
            assertEquals(Drift.Kind.HELPER, s.drift().items().get(0).kind(), s.drift().toString());
            assertTrue(s.drift().lines().get(0).startsWith("installed helper " + HelperScript.DEFAULT_PATH + " is not this deployer's (sha256 "),
                    s.drift().lines().toString());
        } finally {
            host.exec("cp -p /root/helper.bak " + HelperScript.DEFAULT_PATH);
        }
    }

    @Test
    @Order(6)
    void repairDriftTakesOnlyAReleaseOnTheHostAndColors() {
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", "");
        host.exec("mkdir -p /etc/systemd/system/litellm.service.d && echo '[Service]' > /etc/systemd/system/litellm.service.d/keep.conf");
        for (String args : java.util.List.of("../../../etc -", "/etc -", "nope-not-here -", current + " evil", current + " ../green", current + " - blue/..")) {
            ExecResult r = asLimited("sudo -n " + HelperScript.DEFAULT_PATH + " repair-drift " + args);
            assertEquals(3, r.getExitCode(), args + ": " + r.getStderr());
        }
        assertEquals("keep.conf", host.exec("ls /etc/systemd/system/litellm.service.d").strip(), "a refused call moved nothing");
        host.exec("rm -rf /etc/systemd/system/litellm.service.d");
    }

    @Test
    @Order(7)
    void onARestrictedHostTheInstalledUnitIsComparedWithTheHelpersOwnRenderingAndADeployRepairsIt() throws Exception {
        assertEquals(java.util.List.of(), deployer(HelperScript.DEFAULT_PATH).status(Fixtures.targets(host)).get(0).drift().items(),
                "the unit the restricted helper rendered is the release's");
        host.exec("sed -i 's/^NoNewPrivileges=.*/NoNewPrivileges=false/' /etc/systemd/system/litellm.service && systemctl daemon-reload");
        HostStatus s = deployer(HelperScript.DEFAULT_PATH).status(Fixtures.targets(host)).get(0);
        assertEquals(java.util.List.of("litellm.service edited on the server (2 lines: +1 -1)"), s.drift().lines());
        HostResult r = deployer(HelperScript.DEFAULT_PATH).deploy(Fixtures.exampleBundle(work.resolve("drift")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(r.message().contains("repairs drift (litellm.service edited)"), r.message());
        assertEquals("NoNewPrivileges=true", host.exec("grep ^NoNewPrivileges= /etc/systemd/system/litellm.service").strip());
        assertEquals(java.util.List.of(), deployer(HelperScript.DEFAULT_PATH).status(Fixtures.targets(host)).get(0).drift().items());
    }
}
