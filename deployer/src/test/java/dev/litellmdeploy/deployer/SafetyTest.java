package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.TestKeys;

/** Refusals that must happen before anything changes, and the non-root (sudo) path (last: it changes the host). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SafetyTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    private static boolean stateDirExists() {
        return host.execResult("test -e /var/lib/litellm-deploy").getExitCode() == 0;
    }

    private HostResult deploy(SshSettings ssh, Bundle bundle) throws Exception {
        return new Deployer(ssh, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED).deploy(bundle, Fixtures.targets(host)).hosts().get(0);
    }

    @Test
    @Order(1)
    void aHostKeyThatDoesNotMatchFailsBeforeAuthenticationAndChangesNothing() throws Exception {
        String wrongLine = "[" + host.host() + "]:" + host.sshPort() + " " + TestKeys.ed25519().authorizedKeysLine();
        String authLogBefore = host.exec("journalctl -u ssh --no-pager -o cat | grep -c 'Accepted publickey' || true").strip();
        SshSettings ssh = new SshSettings("root", host.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(wrongLine), null, null);
        HostResult r = deploy(ssh, Fixtures.exampleBundle(work.resolve("mismatch")));
        assertEquals(HostResult.Outcome.CONNECTION_FAILED, r.outcome());
        assertTrue(r.message().contains("HOST KEY MISMATCH") && r.message().contains(host.hostKeyFingerprint()), r.message());
        assertEquals(authLogBefore, host.exec("journalctl -u ssh --no-pager -o cat | grep -c 'Accepted publickey' || true").strip(),
                "no authentication happened");
        assertFalse(stateDirExists());
    }

    @Test
    @Order(2)
    void anUnknownHostIsRefusedWithItsFingerprintAndAcceptedOnlyWithTheExplicitFlag() throws Exception {
        SshSettings unknown = new SshSettings("root", host.keys().privateKeyOpenSsh(), null,
                HostKeyPolicy.knownHosts("[elsewhere.example.invalid]:22 " + TestKeys.ed25519().authorizedKeysLine()), null, null);
        HostResult r = new Deployer(unknown, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .plan(Fixtures.exampleBundle(work.resolve("unknown")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.CONNECTION_FAILED, r.outcome());
        assertTrue(r.message().contains("unknown host key") && r.message().contains("--fingerprint " + host.hostKeyFingerprint()), r.message());

        SshSettings pinned = new SshSettings("root", host.keys().privateKeyOpenSsh(), null, HostKeyPolicy.fingerprint(host.hostKeyFingerprint()),
                null, Duration.ofSeconds(10));
        HostResult planned = new Deployer(pinned, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .plan(Fixtures.exampleBundle(work.resolve("pinned")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.NOOP, planned.outcome(), planned.message());
        assertTrue(planned.plan().steps().contains("restart"), "a plan of a first deploy restarts: " + planned.plan().steps());
        assertEquals("inactive", host.execResult("systemctl is-active litellm").getStdout().strip(), "plan changed nothing");

        SshSettings tofu = new SshSettings("root", host.keys().privateKeyOpenSsh(), null, new HostKeyPolicy("", java.util.List.of(), true), null, null);
        assertEquals(HostResult.Outcome.NOOP, new Deployer(tofu, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .plan(Fixtures.exampleBundle(work.resolve("tofu")), Fixtures.targets(host)).hosts().get(0).outcome());
    }

    @Test
    @Order(3)
    void sudoThatAsksForAPasswordFailsClearlyAndChangesNothing() throws Exception {
        boolean existedBefore = stateDirExists();
        HostResult r = deploy(Fixtures.ssh(host, TestHost.PASSWORD_SUDO_USER), Fixtures.exampleBundle(work.resolve("askpass")));
        assertEquals(HostResult.Outcome.CONNECTION_FAILED, r.outcome());
        assertTrue(r.message().contains("asks for a password") && r.message().contains("Nothing was changed"), r.message());
        assertEquals(existedBefore, stateDirExists());
    }

    @Test
    @Order(4)
    void hashedKnownHostsEntriesAndRsaEcdsaAndEncryptedKeysAllConnect() throws Exception {
        String[] parts = host.knownHostsLine().split(" ");
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(parts[0].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String hashed = "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " " + parts[1] + " " + parts[2];

        java.util.List<TestKeys> keys = java.util.List.of(TestKeys.generate("RSA", 3072, null), TestKeys.generate("EC", 256, null),
                TestKeys.generate("EC", 384, null), TestKeys.generate(org.apache.sshd.common.util.security.SecurityUtils.EDDSA, 256,
                        "correct horse"));
        host.exec("rm -f /root/pem-*; ssh-keygen -q -t ecdsa -m PEM -N '' -f /root/pem-ec && ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f /root/pem-rsa");
        for (String pem : List.of("/root/pem-ec", "/root/pem-rsa")) {
            String text = host.exec("cat " + pem);
            assertTrue(text.lines().findFirst().orElse("").matches("-----BEGIN (EC|RSA) PRIVATE" + " KEY-----"), "a PEM key, not OpenSSH");
            host.authorize(host.exec("cat " + pem + ".pub").strip());
            SshSettings ssh = new SshSettings("root", text, null, HostKeyPolicy.knownHosts(hashed), null, null);
            HostResult r = new Deployer(ssh, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                    .plan(Fixtures.exampleBundle(work.resolve("keys" + pem.replace('/', '-'))), Fixtures.targets(host)).hosts().get(0);
            assertEquals(HostResult.Outcome.NOOP, r.outcome(), pem + ": " + r.message());
        }
        for (TestKeys k : keys) {
            host.authorize(k.authorizedKeysLine());
            String passphrase = keys.indexOf(k) == keys.size() - 1 ? "correct horse" : null;
            SshSettings ssh = new SshSettings("root", k.privateKeyOpenSsh(), passphrase, HostKeyPolicy.knownHosts(hashed), null, null);
            HostResult r = new Deployer(ssh, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                    .plan(Fixtures.exampleBundle(work.resolve("keys-" + keys.indexOf(k))),
                            Fixtures.targets(host)).hosts().get(0);
            assertEquals(HostResult.Outcome.NOOP, r.outcome(), k.keyPair().getPublic().getAlgorithm() + ": " + r.message());
        }
    }

    @Test
    @Order(5)
    void aSudoUserDeploysThroughAStagingDirectoryOnlyItCanRead() throws Exception {
        HostResult r = deploy(Fixtures.ssh(host, TestHost.SUDO_USER), Fixtures.exampleBundle(work.resolve("sudo")));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals("700 deploy", host.exec("stat -c '%a %U' /var/lib/litellm-deploy/staging/deploy").strip());
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/staging/deploy").strip(), "staging is emptied after the upload");
        assertEquals("active", host.exec("systemctl is-active litellm").strip());
    }

    @Test
    @Order(6)
    void uvMissingOnTheServerIsInstalledByAnUploadedInstallerScript() throws Exception {
        host.exec("rm -f /usr/local/bin/uv /usr/local/bin/uvx /usr/local/lib/litellm-deploy/uv/uv /usr/local/lib/litellm-deploy/uv/uvx");
        Path installer = java.nio.file.Files.writeString(work.resolve("uv-installer.sh"), "#!/bin/sh\n"
                + "# stands in for the official uv installer: honours UV_INSTALL_DIR like it does\n"
                + "set -eu\ninstall -d \"$UV_INSTALL_DIR\"\n"
                + "install -m 0755 /usr/local/lib/litellm-standin/uv \"$UV_INSTALL_DIR/uv\"\n"
                + "install -m 0755 /usr/local/lib/litellm-standin/uv \"$UV_INSTALL_DIR/uvx\"\n");
        List<String> details = new java.util.ArrayList<>();
        DeployListener listener = new DeployListener() {
            @Override
            public void stepFinished(HostTarget h, String step, Duration took, String detail) {
                details.add(step + ": " + detail);
            }
        };
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")).withUv(UvSource.localFile(installer)),
                Fixtures.checked(listener)).deploy(Fixtures.exampleBundle(work.resolve("installer"), java.util.Map.of("40-x",
                        "- model_name: via-installer\n  litellm_params: {model: openai/x}\n"), java.util.Map.of()), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(details.stream().anyMatch(d -> d.startsWith("ensure-uv: uvx 0.9.17") && d.contains("uv-installer.sh")), details.toString());
        assertEquals("755 root", host.exec("stat -c '%a %U' /usr/local/lib/litellm-deploy/uv/uvx").strip());
    }
}
