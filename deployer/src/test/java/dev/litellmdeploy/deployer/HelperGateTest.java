package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.unit.UnitParameters;

/**
 * The restricted helper's root security gate, run with bash alone (no host, no root): the functions of the real
 * rendered helper ({@code HelperScript.render}, restricted, without its last line {@code main "$@"}) sourced and
 * called with hostile input. The gate is {@code unit_params} (a release's unit parameters, checked one by one),
 * {@code render_unit} + {@code is_own_unit} (the release's unit must be byte for byte the helper's own rendering),
 * {@code release_id}/{@code upload_id}/{@code file_name}/{@code claim} (the words the caller chooses) and
 * {@code no_links} (nothing root writes through is a symbolic link). {@link RestrictedCommitGateTest} makes the same
 * attacks through the verbs, as the restricted user on a real host.
 */
class HelperGateTest {
    static final String GOOD = "litellm_version=1.80.9\npython_version=3.11\nhost=0.0.0.0\nport=4000\nenv_file=no\n";

    @TempDir
    static Path work;

    /** The default layout's helper functions (the one the builder's units are made for). */
    static Path functions;
    /** The same for a layout inside the temp folder, where links can be laid at every path. */
    static Path tempFunctions;
    static RemoteLayout temp;
    /** The example bundle's unit and its parameters. */
    static String exampleUnit;
    static String exampleParams;

    @BeforeAll
    static void render() throws Exception {
        functions = functions("default", RemoteLayout.defaults());
        Bundle example = Fixtures.exampleBundle(work.resolve("example"));
        exampleUnit = new String(example.files().get(Bundle.UNIT), StandardCharsets.UTF_8);
        exampleParams = UnitParameters.text(UnitParameters.of(example));
        Path r = work.resolve("root");
        temp = new RemoteLayout("litellm.service", r + "/etc/systemd/system/litellm.service", r + "/etc/litellm", r + "/etc/litellm/config.yaml",
                r + "/etc/litellm/litellm.env", "litellm", r + "/opt/litellm", r + "/var/lib/litellm-deploy", r + "/usr/local/lib/litellm-deploy/uv/uvx");
        tempFunctions = functions("temp", temp);
    }

    private static Path functions(String name, RemoteLayout layout) throws IOException {
        String helper = HelperScript.render(layout, true);
        String last = "main \"$@\"\n";
        assertTrue(helper.endsWith("\n}\n" + last), "the rendered helper no longer ends with " + last);
        Path f = work.resolve(name + "-functions.sh");
        Files.writeString(f, helper.substring(0, helper.length() - last.length()));
        return f;
    }

    record Run(int exit, String out, String err) {
    }

    /** Sources the helper's functions and runs FUNCTION ARGS with bash. */
    static Run call(Path functions, String... functionAndArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "f=$1; shift; source \"$f\"; \"$@\"", "helper-gate", functions.toString()));
        command.addAll(List.of(functionAndArgs));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.ISO_8859_1));
    }

    static Stream<Arguments> hostileParameters() {
        return Stream.of(
                Arguments.of("a CR ending a line inside a value", GOOD + "env=A=b\rUser=root\n"),
                Arguments.of("a CR after the version", GOOD.replace("1.80.9", "1.80.9\r")),
                Arguments.of("CRLF line ends", GOOD.replace("\n", "\r\n")),
                Arguments.of("control bytes", GOOD + "env=A=b\u0001\u001b\u007f\n"),
                Arguments.of("a tab", GOOD.replace("port=4000", "port=4000\t")),
                Arguments.of("a section header in a value", GOOD + "env=A=[Service]\n"),
                Arguments.of("a section header as a line", GOOD + "[Service]\n"),
                Arguments.of("a ;-joined Exec line in the host", GOOD.replace("host=0.0.0.0", "host=0.0.0.0;/bin/sh")),
                Arguments.of("a ;-joined command in the version", GOOD.replace("1.80.9", "1.80.9;+/bin/sh")),
                Arguments.of("ExecStartPre=+", GOOD + "ExecStartPre=+/bin/sh -c id\n"),
                Arguments.of("a newline inside NAME=value", GOOD + "env=A=b\nExecStartPre=+/bin/sh -c id\n"),
                Arguments.of("User=root", GOOD + "User=root\n"),
                Arguments.of("user=root", GOOD + "user=root\n"),
                Arguments.of("Alias= of another unit", GOOD + "Alias=ssh.service\n"),
                Arguments.of("WantedBy= of another unit", GOOD + "WantedBy=ssh.service\n"),
                Arguments.of("Requires= of another unit", GOOD + "Requires=ssh.service\n"),
                Arguments.of("an extra EnvironmentFile=", GOOD + "EnvironmentFile=/etc/shadow\n"),
                Arguments.of("env_file naming a file", GOOD.replace("env_file=no", "env_file=/etc/shadow")),
                Arguments.of("a systemd specifier", GOOD + "env=A=%h\n"),
                Arguments.of("a $ expansion", GOOD + "env=A=$HOME\n"),
                Arguments.of("a quote closing the Environment= value", GOOD + "env=A=b\" \"LD_PRELOAD=/tmp/x.so\n"),
                Arguments.of("a backslash", GOOD + "env=A=b\\\n"),
                Arguments.of("a space (a second argument)", GOOD.replace("1.80.9", "1.80.9 --reload")),
                Arguments.of("a path in the version", GOOD.replace("1.80.9", "1.80.9/../../x")),
                Arguments.of("an env name starting with a digit", GOOD + "env=1A=b\n"),
                Arguments.of("an env entry without a name", GOOD + "env==b\n"),
                Arguments.of("an env entry without =", GOOD + "env=A\n"),
                Arguments.of("an env name of 65 characters", GOOD + "env=A" + "x".repeat(64) + "=b\n"),
                Arguments.of("an env value of 513 characters", GOOD + "env=A=" + "x".repeat(513) + "\n"),
                Arguments.of("a version of 41 characters", GOOD.replace("1.80.9", "1" + "9".repeat(40))),
                Arguments.of("a host of 254 characters", GOOD.replace("host=0.0.0.0", "host=" + "h".repeat(254))),
                Arguments.of("an empty host", GOOD.replace("host=0.0.0.0", "host=")),
                Arguments.of("a Python version with four parts", GOOD.replace("3.11", "3.11.1.1")),
                Arguments.of("port 0", GOOD.replace("port=4000", "port=0")),
                Arguments.of("port 65536", GOOD.replace("port=4000", "port=65536")),
                Arguments.of("port +4000", GOOD.replace("port=4000", "port=+4000")),
                Arguments.of("port in hex", GOOD.replace("port=4000", "port=0x10")),
                Arguments.of("a key with a leading space", GOOD.replace("port=4000", " port=4000")),
                Arguments.of("env_file YES", GOOD.replace("env_file=no", "env_file=YES")),
                Arguments.of("a key given twice", GOOD + "port=22\n"),
                Arguments.of("a missing key", GOOD.replace("port=4000\n", "")),
                Arguments.of("a lock digest with a path", GOOD + "lock=../../../etc/" + "a".repeat(50) + "\n"),
                Arguments.of("a lock digest of 63 digits", GOOD + "lock=" + "a".repeat(63) + "\n"),
                Arguments.of("a lock digest in capitals", GOOD + "lock=" + "A".repeat(64) + "\n"),
                Arguments.of("a lock given twice", GOOD + "lock=" + "a".repeat(64) + "\nlock=" + "b".repeat(64) + "\n"),
                Arguments.of("nothing", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileParameters")
    void unitParamsRefusesHostileParameters(String what, String params) throws Exception {
        Run r = call(functions, "unit_params", params);
        assertEquals(3, r.exit(), what + " was accepted: " + r.out());
    }

    @Test
    void unitParamsAcceptsTheLimitsAndPrintsTheParametersBack() throws Exception {
        String params = GOOD.replace("1.80.9", "1" + "9".repeat(39)) + "env=A" + "x".repeat(63) + "=" + "x".repeat(512) + "\n"
                + "env=B=/a/b:c,d@e+f=g-h.i_j\n";
        Run r = call(functions, "unit_params", "\n" + params + "\n");
        assertEquals(0, r.exit(), r.err());
        assertEquals(params, r.out());
    }

    /** The helper's rendering of a bundle's parameters is that bundle's unit, as the builder rendered it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "environment", "env-file", "locked"})
    void isOwnUnitAcceptsTheBuildersUnit(String kind) throws Exception {
        Bundle bundle = switch (kind) {
            case "plain" -> Bundle.read(work.resolve("example/bundle"));
            case "locked" -> Fixtures.lockedBundle(work.resolve(kind), Fixtures.lockText("1.80.9", "a"), Map.of("FOO", "bar"));
            case "environment" -> Fixtures.exampleBundle(work.resolve(kind), Map.of(), Map.of("FOO", "bar", "OTHER_ONE", "x/y:z"));
            default -> Fixtures.exampleEnvFileBundle(work.resolve(kind));
        };
        String unit = new String(bundle.files().get(Bundle.UNIT), StandardCharsets.UTF_8);
        Path release = release(kind + "-release", UnitParameters.text(UnitParameters.of(bundle)), unit);
        assertEquals(0, call(functions, "is_own_unit", release.toString()).exit(), "the helper renders another unit than the builder:\n" + unit);
    }

    static Stream<Arguments> otherUnits() {
        String unit = exampleUnit;
        String service = "[Service]\n";
        return Stream.of(
                Arguments.of("ExecStartPre=+", unit.replace(service, service + "ExecStartPre=+/bin/sh -c 'id -u > /run/pwned'\n")),
                Arguments.of("a ;-joined Exec line", unit.replace("\nExecStart=", "\nExecStartPre=/bin/true ; +/bin/sh -c id\nExecStart=")),
                Arguments.of("User=root at the end", unit + "[Service]\nUser=root\n"),
                Arguments.of("User=root after a CR", unit.replace("\nGroup=", "\nEnvironment=A=b\rUser=root\nGroup=")),
                Arguments.of("a second [Service] section", unit.replace("[Install]", "[Service] x]\nUser=root\n[Install]")),
                Arguments.of("Alias= of another unit", unit.replace("[Install]\n", "[Install]\nAlias=ssh.service\n")),
                Arguments.of("WantedBy= of another unit", unit.replace("WantedBy=multi-user.target", "WantedBy=multi-user.target ssh.service")),
                Arguments.of("Requires= of another unit", unit.replace("[Unit]\n", "[Unit]\nRequires=ssh.service\n")),
                Arguments.of("an extra EnvironmentFile=", unit.replace("\nExecStart=", "\nEnvironmentFile=/etc/shadow\nExecStart=")),
                Arguments.of("CRLF line ends", unit.replace("\n", "\r\n")),
                Arguments.of("no final newline", unit.substring(0, unit.length() - 1)),
                Arguments.of("an extra final newline", unit + "\n"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherUnits")
    void isOwnUnitRefusesAnyOtherUnit(String what, String unit) throws Exception {
        Path release = release("other-" + Math.abs(what.hashCode()), exampleParams, unit);
        assertEquals(1, call(functions, "is_own_unit", release.toString()).exit(), what + " passed as the helper's own unit");
    }

    /** A release folder as commit leaves it: the checked (normalized) parameters and the release's unit. */
    private static Path release(String name, String params, String unit) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Run checked = call(functions, "unit_params", params);
        assertEquals(0, checked.exit(), checked.err());
        Files.writeString(dir.resolve("unit.params"), checked.out());
        Files.writeString(dir.resolve("litellm.service"), unit);
        return dir;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "..", "../x", "a/../../x", "a/b", ".hidden", "-rf", "a b", "a\nb", "a\rb", "a\tb", "a;b", "a$b", "a*"})
    void wordsTheCallerChoosesCannotNameAnotherPath(String word) throws Exception {
        for (String check : List.of("release_id", "upload_id", "file_name")) {
            assertEquals(3, call(functions, check, word).exit(), check + " accepted '" + word + "'");
        }
    }

    /** What commit lets into a release (and install puts beside config.yaml): the bundle's own names and plain include/module names. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "..", "../x.yaml", "/etc/x.yaml", "sub/m.py", "a\nb.py", "a b.py", ".hidden.py", "-x.py", "evil.service",
            "litellm.service.d", "run.sh", "bundle-id", "unit.params", "FAILED", "UNPROVEN", "unit.rendered", "x.yaml\n", "x.pyc"})
    void aReleaseCarriesOnlyTheBundlesOwnFilesAndPlainIncludeOrModuleNames(String name) throws Exception {
        assertEquals(1, call(functions, "bundle_file", name).exit(), "bundle_file accepted '" + name + "'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config.yaml", "config.redacted.yaml", "litellm.env", "litellm.service", "manifest.json", "models.yaml",
            "models.prod.yml", "custom_auth.py", "_x.py"})
    void theBundlesOwnFilesAndIncludeOrModuleNamesAreAccepted(String name) throws Exception {
        assertEquals(0, call(functions, "bundle_file", name).exit(), name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config.yaml", "config.redacted.yaml", "litellm.env", "litellm.service", "manifest.json"})
    void theBundlesOwnFilesAreNeverInstalledAsExtraFiles(String name) throws Exception {
        assertEquals(1, call(functions, "extra_file", name).exit(), name);
    }

    @Test
    void idsAndNamesHaveALengthLimit() throws Exception {
        assertEquals(0, call(functions, "release_id", "a".repeat(128)).exit());
        assertEquals(3, call(functions, "release_id", "a".repeat(129)).exit());
        assertEquals(0, call(functions, "file_name", "a".repeat(128)).exit());
        assertEquals(3, call(functions, "file_name", "a".repeat(129)).exit());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Adoption.ID, "20261201T000000Z-abc.partial", "0-adopted.partial"})
    void anUploadCannotFillAReleaseTheHelperOwns(String id) throws Exception {
        assertEquals(0, call(functions, "release_id", id).exit());
        Run r = call(functions, "upload_id", id);
        assertEquals(3, r.exit(), id + " accepted for an upload");
        assertTrue(r.err().contains("is the helper's own"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a \"quote", "a\\backslash", "a\nnewline", "a\rreturn", "a\u0001control", "a$(id)", "a`id`", "a'quote", "a{json}"})
    void auditClaimsArePlainText(String text) throws Exception {
        assertEquals(3, call(functions, "claim", text, "actor").exit(), "claim accepted " + text);
    }

    @Test
    void auditClaimsHaveALengthLimit() throws Exception {
        assertEquals(0, call(functions, "claim", "deploy by ci@example (run 5; attempt=2) +main/x,y:z", "actor").exit());
        assertEquals(0, call(functions, "claim", "x".repeat(160), "actor").exit());
        assertEquals(3, call(functions, "claim", "x".repeat(161), "actor").exit());
    }

    /** Every path no_links guards, as the temp layout names them (the current link is a link by design). */
    static List<String> guarded() {
        String s = temp.stateDir();
        return List.of(s, s + "/releases", s + "/staging", temp.configDir(), temp.serviceHome(), temp.configPath(), temp.envPath(), temp.unitPath(),
                temp.uvxPath().substring(0, temp.uvxPath().lastIndexOf('/')), temp.configDir() + "/blue", temp.configDir() + "/green", s + "/blue-green");
    }

    @Test
    void noLinksRefusesASymbolicLinkAtEveryPathRootWritesThrough() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        assertEquals(0, call(tempFunctions, "no_links").exit(), "nothing is a link yet");
        for (String path : guarded()) {
            Path p = Path.of(path);
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, elsewhere);
            try {
                Run r = call(tempFunctions, "no_links");
                assertEquals(3, r.exit(), path + " as a symbolic link was accepted");
                assertTrue(r.err().contains(path + " is a symbolic link"), r.err());
            } finally {
                Files.delete(p);
            }
        }
        Path current = Path.of(temp.stateDir(), "current");
        Files.createSymbolicLink(current, Path.of("releases/x"));
        assertEquals(0, call(tempFunctions, "no_links").exit(), "the current link is refused");
        try (Stream<Path> left = Files.list(elsewhere)) {
            assertTrue(left.findAny().isEmpty(), "something was written through a link");
        }
    }
}
