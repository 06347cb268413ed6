package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock's request loop ({@code serve_requests}, helper-main.sh), run with bash alone: the real rendered helper's
 * functions with {@code main} replaced by a recorder, fed request lines as {@link RemoteLock#call} writes them. A verb
 * run there must behave exactly as it does alone: its arguments byte for byte, errexit in force, stdin closed.
 */
class HelperRequestsTest {
    @TempDir
    static Path work;
    static Path functions;

    @BeforeAll
    static void render() throws Exception {
        functions = functionsIn(work);
    }

    /** The rendered restricted helper without its last line (`main "$@"`): its functions, to source. */
    static Path functionsIn(Path dir) throws Exception {
        String helper = HelperScript.render(RemoteLayout.defaults(), true);
        String last = "main \"$@\"\n";
        assertTrue(helper.endsWith(last));
        return Files.writeString(dir.resolve("functions.sh"), helper.substring(0, helper.length() - last.length()));
    }

    record Reply(int status, String out, String err) {
    }

    /** Feeds the lines to serve_requests under a main that prints its arguments (or, for `stops-midway`, fails halfway). */
    static List<Reply> serve(String... lines) throws Exception {
        return serve((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The same with the input as bytes (an upload's stream between the lines). */
    static List<Reply> serve(byte[] input) throws Exception {
        Path state = Files.createTempDirectory(work, "state");
        String script = "source \"$1\"; LD_STATE=$2\n"
                + "main() { case $1 in\n"
                + "  stops-midway) echo before; false; echo after ;;\n"
                + "  reads-stdin) cat; echo read-done ;;\n"
                + "  *) for a in \"$@\"; do printf '<%s>' \"$a\"; done; echo >&2 on-stderr ;;\n"
                + "esac; }\n"
                + "serve_requests";
        Process p = new ProcessBuilder("bash", "-c", script, "requests-test", functions.toString(), state.toString()).start();
        p.getOutputStream().write(input);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve_requests did not end at the end of its input");
        assertEquals(0, p.exitValue(), err);
        try (var left = Files.list(state)) {
            assertEquals(0, left.count(), "the request folder is removed when the loop ends");
        }
        List<Reply> replies = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ", -1);
            assertEquals("REPLY", f[0], "only reply lines on stdout: " + line);
            replies.add(new Reply(Integer.parseInt(f[1]), text(f[2]), text(f[3])));
        }
        return replies;
    }

    static String request(String... words) {
        StringBuilder b = new StringBuilder("CALL");
        for (String w : words) {
            b.append(' ').append(w.isEmpty() ? "-" : Base64.getEncoder().encodeToString(w.getBytes(StandardCharsets.UTF_8)));
        }
        return b.toString();
    }

    static String text(String field) {
        return field.equals("-") ? "" : new String(Base64.getDecoder().decode(field), StandardCharsets.UTF_8);
    }

    @Test
    void argumentsArriveByteForByteWithSpacesNewlinesQuotesAndEmptyOnes() throws Exception {
        String checksums = "ab  config.yaml\ncd  litellm.service\n";
        List<Reply> r = serve(request("commit", "r 1", "", checksums, "it's \"quoted\" $(id) `id` é"));
        assertEquals(List.of(new Reply(0, "<commit><r 1><><" + checksums + "><it's \"quoted\" $(id) `id` é>", "on-stderr\n")), r);
    }

    @Test
    void aVerbStopsAtItsFirstFailingCommandAsItDoesAlone() throws Exception {
        Reply r = serve(request("stops-midway")).get(0);
        assertEquals(1, r.status());
        assertEquals("before\n", r.out(), "errexit must stay in force in a served verb");
    }

    @Test
    void aVerbReadsNoRequestsFromStdin() throws Exception {
        List<Reply> r = serve(request("reads-stdin"), request("after"));
        assertEquals(new Reply(0, "read-done\n", ""), r.get(0));
        assertEquals("<after>", r.get(1).out(), "the next request was not swallowed by the verb");
    }

    /** Request lines and byte streams in the order given, as RemoteLock sends them. */
    static byte[] input(Object... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] bytes = part instanceof byte[] raw ? raw : (part + "\n").getBytes(StandardCharsets.UTF_8);
            b.writeBytes(bytes);
        }
        return b.toByteArray();
    }

    @Test
    void anUploadUnpacksExactlyItsBytesAndTheRequestAfterItIsRead() throws Exception {
        Path into = Files.createTempDirectory(work, "upload");
        byte[] tar = dev.litellmdeploy.deployer.ssh.TarStream.of(java.util.Map.of(into.toString().substring(1) + "/r1/config.yaml",
                "model_list: []\n".getBytes(StandardCharsets.UTF_8)));
        List<Reply> r = serve(input(request("upload", Integer.toString(tar.length), into + "/r1"), tar, "THEN " + request("next").substring(5)));
        assertEquals(0, r.get(0).status(), r.get(0).err());
        assertEquals("model_list: []\n", Files.readString(into.resolve("r1/config.yaml")));
        assertEquals(new Reply(0, "<next>", "on-stderr\n"), r.get(1), "THEN ran: the upload before it succeeded");
    }

    @Test
    void aFailedUploadStillReadsAllItsBytesAndWhatDependsOnItIsNotRun() throws Exception {
        byte[] garbage = ("CALL " + "\n".repeat(3) + "not a tar stream\n").repeat(40).getBytes(StandardCharsets.UTF_8);
        Path into = Files.createTempDirectory(work, "upload");
        List<Reply> r = serve(input(request("upload", Integer.toString(garbage.length), into + "/r1"), garbage, "THEN " + request("commit").substring(5),
                request("after")));
        assertEquals(3, r.size(), "the stream's lines were not read as requests: " + r);
        assertTrue(r.get(0).status() != 0, "tar refused it: " + r.get(0));
        assertEquals(125, r.get(1).status(), "what depends on the failed upload did not run: " + r.get(1));
        assertEquals("", r.get(1).out());
        assertEquals(new Reply(0, "<after>", "on-stderr\n"), r.get(2));
    }

    @Test
    void anUploadWithoutItsSizeEndsTheRequests() throws Exception {
        List<Reply> r = serve(request("upload", "many", "/tmp/x"), request("after"));
        assertEquals(1, r.size(), "nothing after it is read: where its stream ends is unknown");
        assertEquals(2, r.get(0).status());
    }

    @Test
    void lockAndLogsAndMalformedLinesAreRefusedAndTheLoopGoesOn() throws Exception {
        List<Reply> r = serve(request("lock", "x"), request("logs", "5", "follow"), "CALL not*base64", "rm -rf /", "CALL", request("next"));
        assertEquals(6, r.size());
        for (Reply refused : r.subList(0, 5)) {
            assertEquals(2, refused.status(), refused.toString());
            assertFalse(refused.err().isEmpty());
        }
        assertEquals(new Reply(0, "<next>", "on-stderr\n"), r.get(5));
    }
}
