package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.Container.ExecResult;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.unit.UnitParameters;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * The restricted helper's gate at {@code commit} (the only verb that takes files from the deploy user into
 * root's release store), attacked through the real verbs as the restricted user, the best way that user can:
 * every release carries a {@code litellm.service} that is the helper's own rendering of the user's unit
 * parameters (the user renders it with the installed helper's {@code render_unit}, which they can read), so
 * only the parameter checks, the reserved names and the way files are read stand between them and root.
 * Each refusal leaves nothing in the release store; {@link HelperGateTest} checks the same functions with
 * bash alone, in milliseconds.
 */
class RestrictedCommitGateTest {
    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    static final String H = "sudo -n " + RestrictedUser.HELPER;
    static final String STAGING = "/var/lib/litellm-deploy/staging/" + RestrictedUser.NAME;
    static final String RELEASES = "/var/lib/litellm-deploy/releases";
    static String bundleFiles;
    static String goodParams;

    @BeforeAll
    static void setUp() throws Exception {
        RestrictedUser.setUp(host);
        Bundle bundle = Fixtures.exampleBundle(work.resolve("bundle"));
        goodParams = UnitParameters.text(UnitParameters.of(bundle));
        StringBuilder s = new StringBuilder();
        Map<String, byte[]> files = new TreeMap<>(bundle.files());
        files.remove(Bundle.UNIT);
        files.put(Bundle.MANIFEST, Files.readAllBytes(bundle.dir().resolve(Bundle.MANIFEST)));
        files.forEach((name, bytes) -> s.append("echo ").append(Base64.getEncoder().encodeToString(bytes)).append(" | base64 -d > $S/")
                .append(name).append('\n'));
        bundleFiles = s.toString();
    }

    @AfterEach
    void cleanUp() {
        host.exec("systemctl stop litellm.service 2>/dev/null; systemctl disable litellm.service 2>/dev/null; rm -f /etc/systemd/system/litellm.service;"
                + " systemctl daemon-reload; systemctl reset-failed; rm -rf " + RELEASES + "/* /var/lib/litellm-deploy/current /var/lib/litellm-deploy/history"
                + " /run/pwned-* /etc/litellm/*; true");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ExecResult commit(String release, String params, String extra) {
        return commit(release, params, extra, "");
    }

    /**
     * As the user: stages the example bundle as RELEASE with the helper's own rendering of PARAMS as its unit, runs
     * EXTRA (more files, links), lists the digests, runs SWAP, then commits it with PARAMS. Prints the commit's exit
     * code last ("exit=N").
     */
    private static ExecResult commit(String release, String params, String extra, String swap) {
        return RestrictedUser.run(host, "H='" + H + "'\n$H lock - attacker 10 64 </dev/null >/dev/null\n"
                + "S=" + STAGING + "/" + release + "\nrm -rf $S; mkdir -p $S\n" + bundleFiles
                + "echo " + b64(params) + " | base64 -d > ~/params\n"
                + "sed '$d' " + RestrictedUser.HELPER + " > ~/helper-functions.sh\n"
                + "bash -c 'source ~/helper-functions.sh; render_unit ~/params litellm.service /etc/litellm/config.yaml /etc/litellm/litellm.env \"\" \"\"'"
                + " > $S/litellm.service\n"
                + extra + "\n"
                + "sums=$(cd $S && sha256sum -- *)\n" + swap + "\n"
                + "$H commit " + release + " 0123456789abcdef0123 \"$sums\" \"$(cat ~/params)\"; echo \"exit=$?\"\n");
    }

    private static void assertRefusedAndNothingCommitted(String release, ExecResult r) {
        assertTrue(r.getStdout().contains("exit=") && !r.getStdout().contains("exit=0"), "the commit went through: " + r.getStdout() + r.getStderr());
        assertEquals("", host.exec("ls -A " + RELEASES + " 2>/dev/null || true").strip(), "root wrote into the release store: " + r.getStderr());
    }

    @Test
    void theUsersOwnRenderingOfGoodParametersIsCommitted() {
        ExecResult r = commit("good", goodParams, "");
        assertTrue(r.getStdout().contains("exit=0"), r.getStdout() + r.getStderr());
        assertEquals(goodParams, host.exec("cat " + RELEASES + "/good/unit.params"));
    }

    static Stream<Arguments> hostileParameters() {
        String good = "litellm_version=1.80.9\npython_version=3.11\nhost=0.0.0.0\nport=4000\nenv_file=no\n";
        return Stream.of(
                Arguments.of("cr", good + "env=A=b\rUser=root\n"),
                Arguments.of("crversion", good.replace("1.80.9", "1.80.9\rUser=root")),
                Arguments.of("control", good + "env=A=b\u001b[2Jc\n"),
                Arguments.of("section", good + "env=A=[Service]\n"),
                Arguments.of("sectionline", good + "[Service]\n"),
                Arguments.of("execjoin", good.replace("host=0.0.0.0", "host=0.0.0.0;/bin/sh")),
                Arguments.of("execplus", good + "ExecStartPre=+/bin/sh -c 'id -u > /run/pwned-plus'\n"),
                Arguments.of("envnewline", good + "env=A=b\nExecStartPre=+/bin/sh -c 'id -u > /run/pwned-nl'\n"),
                Arguments.of("userroot", good + "User=root\n"),
                Arguments.of("alias", good + "Alias=ssh.service\n"),
                Arguments.of("wantedby", good + "WantedBy=ssh.service\n"),
                Arguments.of("requires", good + "Requires=ld-marker.service\n"),
                Arguments.of("envfile", good.replace("env_file=no", "env_file=/etc/shadow")),
                Arguments.of("envfileline", good + "EnvironmentFile=/etc/shadow\n"),
                Arguments.of("specifier", good + "env=A=%h\n"),
                Arguments.of("dollar", good + "env=A=$HOME\n"),
                Arguments.of("quote", good + "env=A=b\" \"LD_PRELOAD=/tmp/x.so\n"),
                Arguments.of("space", good.replace("1.80.9", "1.80.9 --reload")),
                Arguments.of("longversion", good.replace("1.80.9", "1." + "9".repeat(40))),
                Arguments.of("longenv", good + "env=A=" + "x".repeat(513) + "\n"),
                Arguments.of("twice", good + "port=22\n"),
                Arguments.of("missing", good.replace("port=4000\n", "")),
                Arguments.of("port0", good.replace("port=4000", "port=0")),
                Arguments.of("port65536", good.replace("port=4000", "port=65536")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileParameters")
    void hostileUnitParametersAreRefusedEvenWithTheirOwnRenderingAsTheUnit(String release, String params) {
        ExecResult r = commit(release, params, "");
        assertRefusedAndNothingCommitted(release, r);
        assertFalse(r.getStderr().contains("not the one this helper renders"), "the parameter checks let it through: " + r.getStderr());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileIds")
    void aReleaseIdOutsideTheStoreIsRefused(String id) {
        ExecResult r = RestrictedUser.run(host, "sudo -n " + RestrictedUser.HELPER + " commit '" + id + "' 0123456789abcdef0123 \"\" \"\"; echo \"exit=$?\"");
        assertRefusedAndNothingCommitted(id, r);
        assertNotEquals(0, host.execResult("test -e /var/lib/litellm-deploy/x").getExitCode());
    }

    static Stream<String> hostileIds() {
        return Stream.of("..", "../x", "a/../../x", ".hidden", "-rf", "a b", "x".repeat(129));
    }

    @Test
    void aSymlinkToARootOnlyFileInTheUploadIsNotReadAsRoot() {
        ExecResult r = commit("link", goodParams, "", "rm $S/config.yaml; ln -s /etc/shadow $S/config.yaml");
        assertRefusedAndNothingCommitted("link", r);
    }

    @Test
    void aHardLinkToARootOnlyFileInTheUploadIsNotReadAsRoot() {
        // the kernel refuses the link itself where fs.protected_hardlinks=1; where it does not, the helper reads as the user
        ExecResult r = commit("hardlink", goodParams, "", "rm $S/config.yaml; ln /etc/shadow $S/config.yaml 2>/dev/null || true");
        assertRefusedAndNothingCommitted("hardlink", r);
    }

    @Test
    void theUploadFolderAsASymlinkToARootOnlyFolderIsNotReadAsRoot() {
        ExecResult r = commit("folder", goodParams, "", "rm -rf ~/folder.real; mv $S ~/folder.real; ln -s /root $S");
        assertRefusedAndNothingCommitted("folder", r);
    }

    @Test
    void aReadableSymlinkIsCopiedAsAPlainRootOwnedFile() {
        ExecResult r = commit("readable", goodParams, "cp $S/config.yaml ~/config.yaml; rm $S/config.yaml; ln -s ~/config.yaml $S/config.yaml");
        assertTrue(r.getStdout().contains("exit=0"), r.getStdout() + r.getStderr());
        assertEquals("", host.exec("find " + RELEASES + " -type l").strip(), "a release holds a link");
        assertEquals("root 600", host.exec("stat -c '%U %a' " + RELEASES + "/readable/config.yaml").strip());
    }

    /**
     * Release 0-adopted is the one root restores verbatim (the admin's own unit and files, with the modes and owners
     * its list names): a user who could commit it would have root install and start a unit of theirs.
     */
    @Test
    void aReleaseCommittedAsTheAdoptedSetupCannotMakeRootRestoreTheUsersUnit() {
        String unit = "[Unit]\nDescription=x\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh -c 'id -u > /run/pwned-adopted'\n"
                + "[Install]\nWantedBy=multi-user.target\n";
        ExecResult r = commit(Adoption.ID, goodParams, "echo " + b64(unit) + " | base64 -d > $S/unit\n"
                + "printf 'file unit 644 0 0 %s\\nabsent config\\nabsent env\\nenabled enabled\\nactive active\\n' \"$(sha256sum < $S/unit | cut -d' ' -f1)\""
                + " > $S/adopted");
        ExecResult restore = RestrictedUser.run(host, H + " restore-adopted; echo \"exit=$?\"");
        assertNotEquals(0, host.execResult("cat /run/pwned-adopted").getExitCode(),
                "root ran the user's unit: commit said " + r.getStdout() + r.getStderr() + "; restore-adopted said " + restore.getStdout() + restore.getStderr());
        assertRefusedAndNothingCommitted(Adoption.ID, r);
    }

    /**
     * Extra files (include: files, Python modules): only plain names a release may carry, each once. Each SWAP
     * edits the digest list the user sends; the name with a line break is a real file in the upload.
     */
    static Stream<Arguments> hostileExtraFiles() {
        String line = "$(sha256sum < $S/config.yaml | cut -d' ' -f1)";
        return Stream.of(
                Arguments.of("parent", "", "sums=\"$sums\"$'\\n'\"" + line + "  ../x.yaml\""),
                Arguments.of("absolute", "", "sums=\"$sums\"$'\\n'\"" + line + "  /etc/x.yaml\""),
                Arguments.of("subfolder", "mkdir $S/sub; cp $S/config.yaml $S/sub/m.py", "sums=\"$sums\"$'\\n'\"" + line + "  sub/m.py\""),
                Arguments.of("twice", "", "sums=\"$sums\"$'\\n'\"" + line + "  config.yaml\""),
                Arguments.of("newline", "cp $S/config.yaml \"$S/a\"$'\\n'\"b.py\"", ""),
                Arguments.of("service", "cp $S/litellm.service $S/evil.service", ""),
                Arguments.of("script", "echo 'id > /run/pwned-script' > $S/run.sh", ""),
                Arguments.of("shadow", "ln -s /etc/shadow $S/custom_auth.py", "sums=\"$sums\"$'\\n'\"" + line + "  custom_auth.py\""),
                Arguments.of("bookkeeping", "echo x > $S/unit.rendered", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileExtraFiles")
    void hostileExtraFileNamesAreRefused(String release, String extra, String swap) {
        ExecResult r = commit(release, goodParams, extra, swap);
        assertRefusedAndNothingCommitted(release, r);
    }

    /** Extra files go beside config.yaml with its owner and mode, per release: a release without one removes it, a rollback brings it back. */
    @Test
    void extraFilesAreInstalledBesideTheConfigPerRelease() {
        assertTrue(commit("with", goodParams, "echo 'model_list: []' > $S/models.yaml; echo 'x = 1' > $S/custom_auth.py").getStdout().contains("exit=0"));
        assertTrue(commit("without", goodParams, "").getStdout().contains("exit=0"));
        host.exec("install -d -m 0750 /etc/litellm && echo admin > /etc/litellm/admin.yaml");
        ExecResult r = RestrictedUser.run(host, H + " install with daemon-reload; echo \"exit=$?\"");
        assertTrue(r.getStdout().contains("exit=0"), r.getStdout() + r.getStderr());
        String config = host.exec("stat -c '%U %G %a' /etc/litellm/config.yaml").strip();
        assertEquals(config, host.exec("stat -c '%U %G %a' /etc/litellm/models.yaml").strip());
        assertEquals(config, host.exec("stat -c '%U %G %a' /etc/litellm/custom_auth.py").strip());
        assertEquals("x = 1\n", host.exec("cat /etc/litellm/custom_auth.py"));
        assertTrue(RestrictedUser.run(host, H + " install without; echo \"exit=$?\"").getStdout().contains("exit=0"));
        assertEquals("admin.yaml\nconfig.yaml\n", host.exec("ls /etc/litellm"), "an earlier release's file stayed live (or the admin's went)");
        assertTrue(RestrictedUser.run(host, H + " install with; echo \"exit=$?\"").getStdout().contains("exit=0"));
        assertEquals("admin.yaml\nconfig.yaml\ncustom_auth.py\nmodels.yaml\n", host.exec("ls /etc/litellm"));
    }

    /** Root writes a target beside it and renames it over: a hard or symbolic link left at a target is replaced, never written through. */
    @Test
    void linksAtTheTargetsAreReplacedNotWrittenThrough() {
        assertTrue(commit("targets", goodParams, "").getStdout().contains("exit=0"));
        host.exec("echo canary > /root/canary1 && echo canary > /root/canary2 && install -d -m 0750 /etc/litellm"
                + " && ln -f /root/canary1 /etc/litellm/config.yaml && ln -sf /root/canary2 /etc/litellm/config.yaml.litellm-deploy.new"
                + " && ln -sf /root/canary2 /etc/systemd/system/litellm.service.litellm-deploy.new");
        ExecResult r = RestrictedUser.run(host, H + " install targets daemon-reload; echo \"exit=$?\"");
        assertTrue(r.getStdout().contains("exit=0"), r.getStdout() + r.getStderr());
        assertEquals("canary\ncanary\n", host.exec("cat /root/canary1 /root/canary2"), "root wrote through a link at a target");
        assertEquals("1", host.exec("stat -c %h /etc/litellm/config.yaml").strip(), "the config is still a hard link");
    }
}
