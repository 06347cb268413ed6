package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * A host that already runs the seed's hand-made setup (its unit running {@code uvx ... litellm} as litellm, a 0600 config
 * owned by litellm, an env file; enabled and active): the first deploy adopts it as release 0-adopted, a failure puts it back
 * exactly, and {@code rollback} returns to it. Ordered: each test starts from what the previous one left, or sets the host up anew.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdoptionTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static final String UNIT = "/etc/systemd/system/litellm.service";
    static final String CONFIG = "/etc/litellm/config.yaml";
    static final String ENV = "/etc/litellm/litellm.env";
    static final String SEED_CONFIG = "model_list:\n  - model_name: seed-scone\n    litellm_params: {model: openai/seed-scone}\n"
            + "general_settings:\n  master_key: sk-fake-seed-master-0000000000\n";

    /** The seed's deploy.sh, done by hand: its user, directories, config (0600 litellm), unit + env file; enabled, and started if asked. */
    static void seedSetup(boolean running) throws Exception {
        seedSetup(running, UNIT);
    }

    static void seedSetup(boolean running, String unitPath) throws Exception {
        String unit = Files.readString(MachinePreparation.projectRoot().resolve("deployer/src/test/resources/seed/litellm.service"))
                .replace("Environment=PYTHONUNBUFFERED=1\n", "Environment=PYTHONUNBUFFERED=1\nEnvironmentFile=-/etc/litellm/litellm.env\n");
        host.exec("systemctl stop litellm 2>/dev/null; systemctl disable litellm 2>/dev/null; rm -rf /var/lib/litellm-deploy " + UNIT + " /lib/systemd/system/litellm.service /etc/litellm;"
                + " id litellm >/dev/null 2>&1 || useradd --system --home-dir /opt/litellm --create-home --shell /usr/sbin/nologin litellm;"
                + " mkdir -p /etc/litellm /opt/litellm && chmod 0755 /etc/litellm && chown root:root /etc/litellm && chown litellm:litellm /opt/litellm"
                + " && chmod 0755 /opt/litellm"
                + " && echo " + b64(SEED_CONFIG) + " | base64 -d > /tmp/seed-config && install -m 600 -o litellm -g litellm /tmp/seed-config " + CONFIG
                + " && rm /tmp/seed-config"
                + " && printf 'SEED_MARKER=from-the-seed\\n' > " + ENV + " && chmod 0640 " + ENV
                + " && echo " + b64(unit) + " | base64 -d > " + unitPath + " && systemctl daemon-reload && systemctl enable --quiet litellm");
        if (running) {
            host.exec("systemctl start litellm && for i in $(seq 100); do curl -sf http://127.0.0.1:4000/health/liveliness >/dev/null && exit 0;"
                    + " sleep 0.1; done; exit 1");
        } else {
            host.exec("systemctl disable --quiet litellm");
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Bytes (as a digest), mode and owner of every file the seed made, and its directory. */
    static String seedFiles() {
        return host.exec("for f in " + UNIT + " " + CONFIG + " " + ENV + "; do sha256sum $f; stat -c '%n %a %U %G %F' $f; done;"
                + " stat -c '%n %a %U %G' /etc/litellm /opt/litellm");
    }

    static String unitState() {
        return host.execResult("systemctl is-enabled litellm").getStdout().strip() + " "
                + host.execResult("systemctl is-active litellm").getStdout().strip();
    }

    static String seedModels() {
        return host.exec("curl -sf -H 'Authorization: Bearer sk-fake-seed-master-0000000000' http://127.0.0.1:4000/v1/models");
    }

    /** A deployer logged in as a user whom sudoers allows only the installed helper (the recommended restricted mode). */
    static Deployer restrictedDeployer() throws Exception {
        String user = "limited";
        String helper = HelperScript.render(RemoteLayout.defaults(), true);
        host.exec("id " + user + " >/dev/null 2>&1 || { useradd --create-home --shell /bin/bash " + user
                + " && install -d -m 0700 -o " + user + " -g " + user + " /home/" + user + "/.ssh"
                + " && install -m 0600 -o " + user + " -g " + user + " /root/.ssh/authorized_keys /home/" + user + "/.ssh/authorized_keys"
                + " && printf '%s' '" + HelperScript.sudoers(user, HelperScript.DEFAULT_PATH) + "' > /etc/sudoers.d/litellm-deploy"
                + " && chmod 0440 /etc/sudoers.d/litellm-deploy && install -d /usr/local/libexec; }"
                + " && echo " + b64(helper) + " | base64 -d > " + HelperScript.DEFAULT_PATH + " && chmod 0755 " + HelperScript.DEFAULT_PATH);
        return new Deployer(Fixtures.ssh(host, user), Fixtures.settings(work.resolve("uv")).withSudoHelper(HelperScript.DEFAULT_PATH),
                Fixtures.LEAK_CHECKED);
    }

    static Deployer deployer() throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED);
    }

    /** Prints how long the adoption's steps took (for docs/faults.md). */
    static HostResult timed(String what, long startNanos, HostResult r) {
        StringBuilder line = new StringBuilder("adoption timing: " + what + ": " + (System.nanoTime() - startNanos) / 1_000_000 + " ms in all");
        r.steps().stream().filter(t -> List.of("adopt", "restore-adopted", "wait-ready").contains(t.step()))
                .forEach(t -> line.append(", ").append(t.step()).append(' ').append(t.took().toMillis()).append(" ms"));
        System.out.println(line);
        return r;
    }

    static Bundle broken() throws Exception {
        return Fixtures.configBundle(work.resolve("broken-" + System.nanoTime()), "model_list:\n  - model_name: doomed\n"
                + "    litellm_params: {model: openai/doomed}\n"
                + "general_settings:\n  master_key: os.environ/LITELLM_DEPLOY_TEST_UNSET_VARIABLE\n");
    }

    @Test
    @Order(1)
    void thePlanSaysItAdoptsTheSeedsServiceAndKeepsItAsReleaseZero() throws Exception {
        seedSetup(true);
        HostResult r = deployer().plan(Fixtures.exampleBundle(work.resolve("plan")), Fixtures.targets(host)).hosts().get(0);
        assertEquals("adopting the existing litellm.service (not managed by litellm-deploy): it is saved as release 0-adopted and restored"
                + " if this deploy fails", r.plan().adopting());
        assertTrue(r.plan().steps().indexOf("adopt") == r.plan().steps().indexOf("diff") + 1, r.plan().steps().toString());
        assertEquals("enabled active", unitState(), "a plan changes nothing");
    }

    @Test
    @Order(2)
    void aFailedFirstDeployRestoresTheSeedsUnitConfigAndEnvFileByteForByteAndStartsIt() throws Exception {
        String before = seedFiles();
        Bundle broken = broken();
        HostResult r = timed("failed first deploy, seed restored and ready", System.nanoTime(),
                deployer().deploy(broken, Fixtures.targets(host)).hosts().get(0));
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("The original setup (the litellm.service found here before litellm-deploy, release 0-adopted) was"
                + " restored; it is running and ready."), r.message());
        assertEquals(before, seedFiles());
        assertEquals("enabled active", unitState());
        assertTrue(host.exec("systemctl show -p ExecStart --value litellm").contains("litellm==1.80.9 --config /etc/litellm/config.yaml"));
        assertTrue(seedModels().contains("\"seed-scone\""), "the seed's config serves again");
        assertEquals("700 root", host.exec("stat -c '%a %U' /var/lib/litellm-deploy/releases/0-adopted").strip());
        assertEquals("releases/0-adopted", host.exec("readlink /var/lib/litellm-deploy/current").strip());
    }

    @Test
    @Order(3)
    void aSuccessfulDeployThenRollbackReturnsToTheSeedSetup() throws Exception {
        String seed = seedFiles();
        HostResult deployed = deployer().deploy(Fixtures.exampleBundle(work.resolve("ok")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, deployed.outcome(), deployed.message());
        assertFalse(seedFiles().equals(seed));

        long start = System.nanoTime();
        HostResult back = timed("rollback to 0-adopted", start, deployer().rollback(Fixtures.targets(host), null).hosts().get(0));
        assertEquals(HostResult.Outcome.SUCCESS, back.outcome(), back.message());
        assertEquals("0-adopted", back.release());
        assertEquals(seed, seedFiles());
        assertEquals("enabled active", unitState());
        assertTrue(seedModels().contains("\"seed-scone\""));
        assertEquals("releases/0-adopted", host.exec("readlink /var/lib/litellm-deploy/current").strip());

        HostResult again = deployer().rollback(Fixtures.targets(host), deployed.release()).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, again.outcome(), again.message());
        HostResult toSeed = deployer().rollback(Fixtures.targets(host), "0-adopted").hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, toSeed.outcome(), toSeed.message());
        assertEquals(seed, seedFiles());
    }

    @Test
    @Order(4)
    void aDisabledInactiveSeedStaysDisabledAndInactiveAfterTheRestoreThroughTheRestrictedHelper() throws Exception {
        seedSetup(false);
        assertEquals("disabled inactive", unitState());
        String before = seedFiles();
        Bundle broken = broken();
        Deployer restricted = restrictedDeployer();
        HostResult r = timed("failed first deploy, disabled seed restored", System.nanoTime(),
                restricted.deploy(broken, Fixtures.targets(host)).hosts().get(0));
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("was restored; it was disabled and inactive before, and is left so."), r.message());
        assertEquals(before, seedFiles());
        assertEquals("disabled inactive", unitState());
    }

    @Test
    @Order(5)
    void aSymlinkedSeedConfigIsRefusedBeforeAnythingChanges() throws Exception {
        seedSetup(true);
        host.exec("mv " + CONFIG + " /etc/litellm/real.yaml && ln -s real.yaml " + CONFIG);
        String before = seedFiles() + host.exec("readlink " + CONFIG);
        HostResult r = deployer().deploy(Fixtures.exampleBundle(work.resolve("link")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains(CONFIG + " is a symbolic link") && r.message().contains("Nothing was changed"), r.message());
        assertEquals(before, seedFiles() + host.exec("readlink " + CONFIG));
        assertEquals("enabled active", unitState());
        assertFalse(host.exec("ls /var/lib/litellm-deploy/releases 2>/dev/null || true").contains("0-adopted"));
    }

    @Test
    @Order(6)
    void aPackagedUnitOutsideEtcAndAMissingEnvFileComeBackAsTheyWere() throws Exception {
        seedSetup(true, "/lib/systemd/system/litellm.service");
        host.exec("rm " + ENV);
        HostResult plan = deployer().plan(broken(), Fixtures.targets(host)).hosts().get(0);
        assertTrue(plan.plan().adopting() != null, plan.plan().toString());
        String config = host.exec("sha256sum " + CONFIG + "; stat -c '%a %U %G' " + CONFIG);
        // an env-file bundle (it writes litellm.env, absent before) whose service crashes half a second after it starts
        Path out = work.resolve("crashing-env-file");
        new ConfigBuilder().build(BuildRequest.fromTemplates(Fixtures.EXAMPLES.resolve("templates"), Fixtures.EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withEnvFileMode(true).withEnvironment(Map.of("LITELLM_STANDIN_CRASH_AFTER", "0.5"))
                        .withSourceRevision("crashing-env-file")));
        Bundle broken = Bundle.read(out);
        assertTrue(broken.files().containsKey("litellm.env"));
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")).withSettle(Duration.ofSeconds(3)),
                Fixtures.LEAK_CHECKED).deploy(broken, Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertEquals("no no", host.exec("[ -e " + UNIT + " ] && echo yes || echo no; [ -e " + ENV + " ] && echo yes || echo no")
                .strip().replace('\n', ' '), "what was not there before is removed again");
        assertEquals(config, host.exec("sha256sum " + CONFIG + "; stat -c '%a %U %G' " + CONFIG));
        assertEquals("/lib/systemd/system/litellm.service", host.exec("systemctl show -p FragmentPath --value litellm").strip());
        assertEquals("enabled active", unitState());
        assertTrue(seedModels().contains("\"seed-scone\""));
    }

    @Test
    @Order(7)
    void aFailedFirstDeployOnABareHostStopsTheFailedServiceAndSaysNothingRanBefore() throws Exception {
        host.exec("systemctl disable --now litellm; rm -rf /var/lib/litellm-deploy /etc/litellm " + UNIT
                + " /lib/systemd/system/litellm.service; systemctl daemon-reload");
        HostResult plan = deployer().plan(broken(), Fixtures.targets(host)).hosts().get(0);
        assertNull(plan.plan().adopting(), "nothing to adopt on a bare host");
        HostResult r = deployer().deploy(broken(), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_FIRST_DEPLOY_STOPPED, r.outcome(), r.message());
        assertTrue(r.message().contains("Nothing ran here before; the failed service was stopped and disabled."), r.message());
        assertEquals("disabled inactive", unitState());
        HostResult next = deployer().plan(Fixtures.exampleBundle(work.resolve("after-bare")), Fixtures.targets(host)).hosts().get(0);
        assertNull(next.plan().adopting(), "the unit left by the failed deploy is litellm-deploy's own, not something to adopt");
    }
}
