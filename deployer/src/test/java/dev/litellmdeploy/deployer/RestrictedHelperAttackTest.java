package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.unit.UnitParameters;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Attacks on the restricted helper, each made as the restricted deploy user (sudo allows only the
 * installed helper) the way that user could make them: files they write into their own staging
 * folder and helper verbs they call. Every attack tries to run {@code id -u} as root into
 * {@code /run/pwned-*} (only root can write /run), or to change something root owns; each test
 * asserts it did not happen. The unit allow-list these attacks beat (issue 13) is gone: the
 * restricted helper installs only the unit it renders itself.
 */
class RestrictedHelperAttackTest {
    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    static final String H = "sudo -n " + RestrictedUser.HELPER;
    static final String STAGING = "/var/lib/litellm-deploy/staging/" + RestrictedUser.NAME;

    @BeforeAll
    static void setUp() {
        RestrictedUser.setUp(host);
        host.exec("id -u litellm >/dev/null 2>&1 || useradd --system --home-dir /opt/litellm --create-home --shell /usr/sbin/nologin litellm");
        host.exec("printf '[Service]\\nType=oneshot\\nExecStart=/bin/sh -c \"id -u > /run/pwned-wants\"\\n' > /etc/systemd/system/ld-marker.service"
                + " && systemctl daemon-reload");
    }

    @AfterEach
    void cleanUp() {
        host.exec("systemctl stop litellm.service 2>/dev/null; systemctl disable litellm.service 2>/dev/null;"
                + " rm -f /etc/systemd/system/litellm.service; rm -rf /etc/systemd/system/ssh.service.requires;"
                + " systemctl daemon-reload; systemctl reset-failed; systemctl start ssh; true");
    }

    private static ExecResult asUser(String script) {
        return RestrictedUser.run(host, "set -u\nH='" + H + "'\n" + script);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The user stages a release whose unit is {@code unit} and asks the helper to commit, install (+ enable) and restart it. */
    private static ExecResult deployUnit(String release, String unit) {
        return asUser("$H lock - attacker 10 64 </dev/null >/dev/null\n"
                + "S=" + STAGING + "/" + release + "\nmkdir -p $S\n"
                + "echo " + b64(unit) + " | base64 -d > $S/litellm.service\n"
                + "echo 'model_list: []' > $S/config.yaml\necho '{}' > $S/manifest.json\n"
                + "sums=$(cd $S && sha256sum config.yaml litellm.service manifest.json)\n"
                + commitCommand(release) + " || exit 0\n"
                + "$H install " + release + " daemon-reload enable || exit 0\n"
                + "$H restart || true\nsleep 2\n");
    }

    private static final String PARAMS = "litellm_version=1.80.9\npython_version=3.11\nhost=0.0.0.0\nport=4000\nenv_file=no\n";

    /** How this helper version's commit is called by a user who wrote $S and $sums (with unit parameters of their choice). */
    private static String commitCommand(String release) {
        return commitCommand(release, PARAMS);
    }

    private static String commitCommand(String release, String params) {
        return "$H commit " + release + " 0123456789abcdef0123 \"$sums\" \"$(echo " + b64(params) + " | base64 -d)\"";
    }

    private static void assertNothingRanAsRoot(String marker) {
        ExecResult r = host.execResult("cat /run/pwned-" + marker);
        assertNotEquals(0, r.getExitCode(), "a unit from the restricted user ran as root: /run/pwned-" + marker + " says uid " + r.getStdout());
    }

    private static final String GOOD_HEAD = "[Unit]\nDescription=x\n[Service]\nUser=litellm\nGroup=litellm\n";

    @Test
    void aCarriageReturnInsideALineCannotSmuggleUserRoot() {
        deployUnit("cr", GOOD_HEAD + "Environment=A=b\rUser=root\nExecStart=/bin/sh -c 'id -u > /run/pwned-cr'\n");
        assertNothingRanAsRoot("cr");
    }

    @Test
    void aSectionHeaderSystemdIgnoresCannotHideTheUserLine() {
        deployUnit("section", "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/sh -c 'id -u > /run/pwned-section'\n[Service] x]\nUser=litellm\nGroup=litellm\n");
        assertNothingRanAsRoot("section");
    }

    @Test
    void aSecondCommandOnAnExecLineCannotAskForRoot() {
        deployUnit("chain", GOOD_HEAD + "ExecStartPre=/bin/true ; +/bin/sh -c 'id -u > /run/pwned-chain'\nExecStart=/bin/sleep 60\n");
        assertNothingRanAsRoot("chain");
    }

    @Test
    void aUnitCannotMakeRootStartAnotherUnit() {
        deployUnit("wants", "[Unit]\nDescription=x\nWants=ld-marker.service\n[Service]\nUser=litellm\nGroup=litellm\nExecStart=/bin/sleep 60\n");
        assertNothingRanAsRoot("wants");
    }

    @Test
    void aUnitCannotTieSshdToTheService() {
        deployUnit("requiredby", GOOD_HEAD + "ExecStart=/bin/sleep 60\n[Install]\nWantedBy=multi-user.target\nRequiredBy=ssh.service\n");
        asUser("$H stop || true");
        assertEquals("active", host.execResult("systemctl is-active ssh.service").getStdout().strip(), "stopping the service stopped sshd");
    }

    @Test
    void aFileDescriptorOpenedBeforeTheCommitCannotWriteTheRootOnlyRelease() throws Exception {
        Bundle bundle = Fixtures.exampleBundle(work.resolve("fd"));
        stageBundle("fd", bundle);
        ExecResult r = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\nS=" + STAGING + "/fd\n"
                + "exec 3<>$S/config.yaml\n"
                + "sums=$(cd $S && sha256sum *)\n"
                + commitCommand("fd", UnitParameters.text(UnitParameters.of(bundle))) + " || exit 0\n"
                + "printf 'general_settings: {master_key: sk-fake-attacker}\\n#' >&3\n");
        assertEquals(0, r.getExitCode(), r.getStderr());
        String release = host.execResult("cat /var/lib/litellm-deploy/releases/fd/config.yaml").getStdout();
        assertFalse(release.contains("sk-fake-attacker"), "the user wrote into the root-only release through an open descriptor");
    }

    @Test
    void uploadedUvBinariesNeverLandOnRootsPath() {
        asUser("$H lock - attacker 10 64 </dev/null >/dev/null\nd=$(mktemp -d)\nmkdir $d/uv-x86_64\n"
                + "printf '#!/bin/sh\\necho uv 9.9.9\\n' > $d/uv-x86_64/uv; cp $d/uv-x86_64/uv $d/uv-x86_64/uvx; chmod 755 $d/uv-x86_64/*\n"
                + "tar -C $d -czf " + STAGING + "/uv-x86_64.tar.gz uv-x86_64\n"
                + "sha=$(sha256sum < " + STAGING + "/uv-x86_64.tar.gz | cut -d' ' -f1)\n"
                + "$H install-uv uv-x86_64.tar.gz $sha || true\n");
        for (String dir : new String[] {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
            assertNotEquals(0, host.execResult("test -e " + dir + "/uvx").getExitCode(), "the user's uvx is on root's PATH in " + dir);
        }
    }

    @Test
    void anUploadOnTheLocksChannelWritesOnlyWhatTheUserCouldAndTheProbeTakesNoKeyOnACommandLine() {
        byte[] tar = dev.litellmdeploy.deployer.ssh.TarStream.of(java.util.Map.of("run/pwned-upload", "0\n".getBytes(StandardCharsets.UTF_8),
                "etc/sudoers.d/pwned-upload", "ALL ALL=(ALL) NOPASSWD: ALL\n".getBytes(StandardCharsets.UTF_8)));
        String request = "CALL " + b64("upload") + " " + b64(Integer.toString(tar.length)) + " " + b64("/run") + " " + b64("/etc/sudoers.d");
        ExecResult r = asUser("{ echo '" + request + "'; echo " + Base64.getEncoder().encodeToString(tar) + " | base64 -d; echo 'CALL "
                + b64("version") + "'; } | $H lock - attacker 10 64\n$H probe 4000 0 - - sk-fake-on-the-command-line; echo probe-exit=$?");
        assertTrue(r.getStdout().contains("REPLY 2 "), "tar, run as the user, could not write there: " + r.getStdout());
        assertTrue(r.getStdout().contains("REPLY 0 " + b64("1\n") + " -"), "the request after the stream was read as one: " + r.getStdout());
        assertNotEquals(0, host.execResult("test -e /run/pwned-upload").getExitCode(), "the upload wrote into /run");
        assertNotEquals(0, host.execResult("test -e /etc/sudoers.d/pwned-upload").getExitCode(), "the upload wrote a sudoers entry");
        assertTrue(r.getStdout().contains("probe-exit=2"), r.getStdout() + r.getStderr());
    }

    @Test
    void theUserCannotWriteTheirOwnTextIntoTheAuditLog() {
        asUser("$H lock - attacker 10 64 </dev/null >/dev/null; $H audit 'forged-by-the-user' || true");
        assertFalse(host.execResult("cat /var/lib/litellm-deploy/audit.log").getStdout().contains("forged-by-the-user"));
    }

    @Test
    void aSymlinkedConfigDirectoryIsRefusedAndRootWritesNothingThrough() throws Exception {
        host.exec("install -d -o litellm -g litellm /opt/litellm/etc && rm -rf /etc/litellm && ln -s /opt/litellm/etc /etc/litellm");
        try {
            HostResult r = new Deployer(Fixtures.ssh(host, RestrictedUser.NAME),
                    Fixtures.settings(work.resolve("uv")).withSudoHelper(RestrictedUser.HELPER), Fixtures.LEAK_CHECKED)
                    .deploy(Fixtures.exampleBundle(work.resolve("symlink")), Fixtures.targets(host)).hosts().get(0);
            assertNotEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
            assertTrue(r.message().contains("/etc/litellm is a symbolic link"), r.message());
            assertEquals("", host.exec("ls -A /opt/litellm/etc").strip(), "root wrote through the link");
        } finally {
            host.exec("rm -f /etc/litellm; rm -rf /opt/litellm/etc");
        }
    }

    @Test
    void aCustomUnitTemplateThatAsksForRootIsRefusedThroughTheNormalCli() throws Exception {
        Path dir = work.resolve("template");
        Fixtures.exampleBundle(dir);
        Path templates = dir.resolve("templates");
        String unit = Files.readString(MachinePreparation.projectRoot().resolve("templates/litellm.service.mustache"))
                .replace("ExecStart=", "ExecStartPre=/bin/true ; +/bin/sh -c 'id -u > /run/pwned-template'\nExecStart=");
        Files.writeString(templates.resolve("litellm.service.mustache"), unit);
        Bundle bundle = Fixtures.rebuild(templates, dir.resolve("bundle2"));
        HostResult r = new Deployer(Fixtures.ssh(host, RestrictedUser.NAME),
                Fixtures.settings(work.resolve("uv")).withSudoHelper(RestrictedUser.HELPER), Fixtures.LEAK_CHECKED)
                .deploy(bundle, Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertNothingRanAsRoot("template");
    }

    /**
     * The RENAME_EXCHANGE race: while commits run, the user swaps their upload folder with a symlink
     * to another folder of theirs, as fast as the kernel lets them (renameat2). On the old helper a
     * swap between its "not a link" test and its rename made the release itself a link into the
     * user's folder: this test, run against the old helper, caught it in 1 of 2 runs of 200 commits
     * (a race: it can only make the old bug likely, not certain). Now root never renames the user's
     * folder: every release is a directory root made, whatever the timing.
     */
    @Test
    void swappingTheUploadFolderForASymlinkDuringCommitsNeverMakesAReleaseALink() throws Exception {
        Bundle bundle = Fixtures.exampleBundle(work.resolve("race"));
        stageBundle("race", bundle);
        String params = UnitParameters.text(UnitParameters.of(bundle));
        ExecResult r = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\ncd " + STAGING + "\n"
                + "rm -rf ~/race.keep ~/elsewhere; cp -a race ~/race.keep; cp -a race ~/elsewhere\n"
                + "sums=$(cd ~/race.keep && sha256sum *)\n"
                + "python3 -c '\nimport ctypes, os, time\nlibc = ctypes.CDLL(None, use_errno=True)\nend = time.time() + 90\n"
                + "while time.time() < end:\n    libc.renameat2(-100, b\"race\", -100, b\"race.alt\", 2)\n' &\n"
                + "for i in $(seq 1 200); do rm -rf race race.alt; cp -a ~/race.keep race; ln -sfn ~/elsewhere race.alt; "
                + "$H commit race 0123456789abcdef0123 \"$sums\" \"$(echo " + b64(params) + " | base64 -d)\" || true; "
                + "done\nkill %1 2>/dev/null; wait\n");
        assertEquals(0, r.getExitCode(), r.getStderr());
        assertEquals("", host.exec("find /var/lib/litellm-deploy/releases -mindepth 1 -maxdepth 1 -type l").strip(),
                "a release is a symbolic link into the user's folder");
        assertTrue(host.exec("ls /var/lib/litellm-deploy/releases").contains("race"), "some commits went through: " + r.getStdout() + r.getStderr());
    }

    @Test
    void theProxySwitchCannotPublishAnotherLoopbackService() throws Exception {
        for (Path deb : MachinePreparation.nginxPackages()) {
            host.container().copyFileToContainer(org.testcontainers.utility.MountableFile.forHostPath(deb), "/root/" + deb.getFileName());
        }
        host.exec("command -v nginx >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/*.deb >/dev/null 2>&1;"
                + " install -d -m 0700 /root/private && echo root-only-secret > /root/private/secret.txt"
                + " && systemd-run --quiet --unit ld-private-web python3 -m http.server 2222 --bind 127.0.0.1 --directory /root/private"
                + " && sleep 1");
        try {
            asUser("$H lock - attacker 10 64 </dev/null >/dev/null; $H bg-switch blue 2222 0.0.0.0 4000 || true; $H bg-switch blue || true");
            String served = host.execResult("curl -s --max-time 3 http://127.0.0.1:4000/secret.txt").getStdout();
            assertFalse(served.contains("root-only-secret"), "the user published a root-only loopback service on the public port");
        } finally {
            host.exec("systemctl stop ld-private-web; rm -f /etc/nginx/conf.d/litellm-deploy.conf; systemctl reload nginx 2>/dev/null || true");
        }
    }

    /** Copies a bundle's files (and its manifest) into the user's staging folder, owned by the user. */
    /**
     * The deploy user controls the uv binary (install-uv takes their archive) and the lock; env-build must never run either as
     * root: uv runs as the service user, so their "uv" records the service user's uid, and the failed build leaves nothing.
     */
    @Test
    void aUvBinaryTheUserUploadedRunsOnlyAsTheServiceUserWhenAnEnvironmentIsBuilt() throws Exception {
        Bundle bundle = Fixtures.lockedBundle(work.resolve("locked"), Fixtures.lockText("1.80.9", "attack"), java.util.Map.of());
        String release = "20260101T000000Z-envattack";
        stageBundle(release, bundle);
        String sums = bundleSums(bundle);
        String params = dev.litellmdeploy.deployer.unit.UnitParameters.text(dev.litellmdeploy.deployer.unit.UnitParameters.of(bundle));
        String sha = PythonEnv.namedBy(bundle, RemoteLayout.defaults());
        ExecResult r = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\nd=$(mktemp -d)\nmkdir $d/uv-x86_64\n"
                + "printf '#!/bin/sh\\ntouch /tmp/pwned-env-uv.$(id -u)\\necho uv 9.9.9\\nexit 1\\n' > $d/uv-x86_64/uv\n"
                + "cp $d/uv-x86_64/uv $d/uv-x86_64/uvx; chmod 755 $d/uv-x86_64/*\n"
                + "tar -C $d -czf " + STAGING + "/uv-x86_64.tar.gz uv-x86_64\n"
                + "$H install-uv uv-x86_64.tar.gz $(sha256sum < " + STAGING + "/uv-x86_64.tar.gz | cut -d' ' -f1) >/dev/null 2>&1 || true\n");
        host.exec("rm -f /tmp/pwned-env-uv.*"); // install-uv asked it for its version, as nobody
        r = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\n"
                + "sums=$(echo " + b64(sums) + " | base64 -d)\n" + commitCommand(release, params) + " || exit 9\n"
                + "$H env-build " + release + " " + sha + "; echo \"exit=$?\"\n");
        assertTrue(r.getStdout().contains("exit=6"), r.getStdout() + r.getStderr());
        String uid = host.exec("id -u litellm").strip();
        assertEquals(0, host.execResult("test -e /tmp/pwned-env-uv." + uid).getExitCode(), "env-build ran the user's uv as the service user");
        assertNotEquals(0, host.execResult("test -e /tmp/pwned-env-uv.0").getExitCode(), "the user's uv ran as root");
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/envs").strip(), "the failed build left nothing");
        for (String args : List.of("../../etc " + sha, release + " ../../etc", release + " " + sha.toUpperCase(java.util.Locale.ROOT),
                "0-adopted/../x " + sha,
                // the index and mirror: http(s) without credentials, query or fragment; credentials only as netrc lines
                release + " " + sha + " 'file:///etc/passwd' '' ''", release + " " + sha + " 'http://u:pw@h.example/simple/' '' ''",
                release + " " + sha + " '' 'http://h.example/pbs?x=1' ''", release + " " + sha + " '--find-links=/root' '' ''",
                release + " " + sha + " 'http://h.example/simple/' '' 'default login a password b'",
                release + " " + sha + " 'http://h.example/simple/' '' $'machine h.example login a password b\\nmacdef x'")) {
            assertEquals(3, asUser("$H env-build " + args).getExitCode(), args);
        }
        host.exec("rm -f /tmp/pwned-env-uv.* /usr/local/lib/litellm-deploy/uv/uv /usr/local/lib/litellm-deploy/uv/uvx");
    }

    /**
     * The wheel store is shared by every wheelhouse: a file in it is used without upload by every later deploy that needs its
     * digest. The user uploads their own file under the name of a wheel whose (public) digest a list gives: root's check on its
     * copy refuses it, so the store never holds it; the honest upload of that wheel afterwards is the one stored.
     */
    @Test
    void aWrongFileUploadedUnderAKnownDigestNeverEntersTheWheelStore() {
        String genuine = "the wheel every lock pins\n";
        String sha = Bundle.sha256(genuine.getBytes(StandardCharsets.UTF_8));
        String name = "pkg-1.0-py3-none-any.whl";
        String list = sha + "  " + name + "\n";
        String digest = Bundle.sha256(list.getBytes(StandardCharsets.UTF_8));
        String stage = "$H lock - attacker 10 64 </dev/null >/dev/null\nW=" + STAGING + "/wheelhouse-" + digest.substring(0, 12) + "\nmkdir -p $W\n";
        String call = "$H wheelhouse " + digest + " \"$(echo " + b64(list) + " | base64 -d)\"\n";

        ExecResult planted = asUser(stage + "printf 'import os; os.system(\"id -u > /run/pwned-wheel\")' > $W/" + name + "\n" + call);
        assertEquals(4, planted.getExitCode(), planted.getStdout() + planted.getStderr());
        assertTrue(planted.getStderr().contains(name) && planted.getStderr().contains("does not match the digest"), planted.getStderr());
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/wheels /var/lib/litellm-deploy/wheelhouses | grep -v : || true").strip(),
                "nothing stored, no wheelhouse, no unfinished copy");
        assertNotEquals(0, asUser("echo planted > /var/lib/litellm-deploy/wheels/" + sha).getExitCode(), "the store is root's");

        ExecResult honest = asUser(stage + "echo " + b64(genuine) + " | base64 -d > $W/" + name + "\n" + call);
        assertEquals(0, honest.getExitCode(), honest.getStderr());
        assertEquals(genuine, host.exec("cat /var/lib/litellm-deploy/wheelhouses/" + digest.substring(0, 12) + "/" + name));
        assertEquals("root:root 644 2", host.exec("stat -c '%U:%G %a %h' /var/lib/litellm-deploy/wheels/" + sha).strip(),
                "root's file, linked into the wheelhouse");
        assertNotEquals(0, host.execResult("test -e /run/pwned-wheel").getExitCode());
        host.exec("rm -rf /var/lib/litellm-deploy/wheels /var/lib/litellm-deploy/wheelhouses");
    }

    /**
     * A wheelhouse made before the wheel store counts as held file by file: the state read offers only the digests whose file it
     * still has (a file removed by hand would otherwise be skipped by every upload and fail every deploy), and a later
     * wheelhouse takes the offered ones from it (no upload) and the rest from the user's upload, each checked on root's copy.
     */
    @Test
    void aWheelhouseFromBeforeTheStoreOffersOnlyTheFilesItStillHoldsAndLendsThemToTheNext() {
        String kept = "wheel b\n";
        String gone = "wheel a\n";
        String keptLine = Bundle.sha256(kept.getBytes(StandardCharsets.UTF_8)) + "  b-1.0-py3-none-any.whl\n";
        String goneLine = Bundle.sha256(gone.getBytes(StandardCharsets.UTF_8)) + "  a-1.0-py3-none-any.whl\n";
        String oldList = goneLine + keptLine;
        String root = "/var/lib/litellm-deploy/wheelhouses/";
        String old = root + Bundle.sha256(oldList.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        host.exec("install -d -m 0755 " + old + " && echo " + b64(kept) + " | base64 -d > " + old + "/b-1.0-py3-none-any.whl && echo " + b64(oldList)
                + " | base64 -d > " + old + "/SHA256SUMS");
        String state = asUser("$H state").getStdout();
        assertTrue(state.contains("\nwheels=" + keptLine.substring(0, 64) + "\n"), state);

        String list = goneLine + keptLine.replace("b-1.0", "b-1.1");
        String digest = Bundle.sha256(list.getBytes(StandardCharsets.UTF_8));
        String w = STAGING + "/wheelhouse-" + digest.substring(0, 12);
        ExecResult next = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\nmkdir -p " + w + " && echo " + b64(gone) + " | base64 -d > " + w
                + "/a-1.0-py3-none-any.whl\n$H wheelhouse " + digest + " \"$(echo " + b64(list) + " | base64 -d)\"\n");
        assertEquals(0, next.getExitCode(), next.getStderr());
        assertTrue(next.getStdout().contains("2 files, 1 of them uploaded"), next.getStdout());
        assertEquals(kept, host.exec("cat " + root + digest.substring(0, 12) + "/b-1.1-py3-none-any.whl"));
        host.exec("rm -rf /var/lib/litellm-deploy/wheels " + root);
    }

    private static String bundleSums(Bundle bundle) throws Exception {
        Map<String, byte[]> files = new java.util.TreeMap<>(bundle.files());
        files.put(Bundle.MANIFEST, Files.readAllBytes(bundle.dir().resolve(Bundle.MANIFEST)));
        StringBuilder sums = new StringBuilder();
        files.forEach((name, bytes) -> sums.append(Bundle.sha256(bytes)).append("  ").append(name).append('\n'));
        return sums.toString();
    }

    private static void stageBundle(String release, Bundle bundle) throws Exception {
        StringBuilder script = new StringBuilder("S=" + STAGING + "/" + release + "\nmkdir -p $S\n");
        Map<String, byte[]> files = new java.util.TreeMap<>(bundle.files());
        files.put(Bundle.MANIFEST, Files.readAllBytes(bundle.dir().resolve(Bundle.MANIFEST)));
        files.forEach((name, bytes) -> script.append("echo ").append(Base64.getEncoder().encodeToString(bytes)).append(" | base64 -d > $S/")
                .append(name).append('\n'));
        ExecResult r = asUser("$H lock - attacker 10 64 </dev/null >/dev/null\n" + script);
        assertEquals(0, r.getExitCode(), r.getStderr());
    }
}
