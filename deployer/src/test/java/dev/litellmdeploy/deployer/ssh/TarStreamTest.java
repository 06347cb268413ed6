package dev.litellmdeploy.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our upload's tar stream, unpacked by the real GNU tar the way the server does ({@code tar -xof - -C DIR}). */
class TarStreamTest {
    @TempDir
    Path dir;

    private Path unpack(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarStream.write(files, tar);
        assertEquals(0, tar.size() % 512, "whole blocks");
        Path out = Files.createDirectories(dir.resolve("out"));
        Process p = new ProcessBuilder("tar", "-xof", "-", "-C", out.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(tar.toByteArray());
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tar refused the stream: " + said);
        assertEquals("", said, "tar warned");
        return out;
    }

    @Test
    void gnuTarUnpacksEveryFileByteForByteWithMode0600() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] big = new byte[1_500_001];
        new Random(3).nextBytes(big);
        files.put("var/lib/litellm-deploy/staging/deploy/r1/config.yaml", "model_list: []\n".getBytes(StandardCharsets.UTF_8));
        files.put("var/lib/litellm-deploy/staging/deploy/r1/empty", new byte[0]);
        files.put("var/lib/litellm-deploy/staging/deploy/r1/exactly-512", new byte[512]);
        files.put("var/lib/litellm-deploy/staging/deploy/r1/wheel.whl", big);
        for (String d : new String[] {"var/lib/litellm-deploy/staging/deploy/r1"}) {
            Files.createDirectories(dir.resolve("out").resolve(d));
        }
        Path out = unpack(files);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path got = out.resolve(f.getKey());
            assertArrayEquals(f.getValue(), Files.readAllBytes(got), f.getKey());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(got)), f.getKey());
        }
    }

    @Test
    void longWheelNamesAndDeepPathsUseTheUstarPrefixOrAPaxRecord() throws Exception {
        String deep = "var/lib/litellm-deploy/staging/a-login-user-with-a-long-name/wheelhouse-0123456789ab";
        String longName = "nvidia_cusparselt_cu12-0.6.3-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.plus-more-words.whl";
        String veryDeep = "x/".repeat(90) + "f.txt"; // no split of prefix <= 155 and name <= 100 exists: pax
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(deep + "/" + "short.whl", "a".getBytes(StandardCharsets.UTF_8));
        files.put(deep + "/" + longName, "b".getBytes(StandardCharsets.UTF_8));
        files.put(veryDeep, "c".getBytes(StandardCharsets.UTF_8));
        files.put("unicode-é.yaml", "d".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("out").resolve(deep));
        Files.createDirectories(dir.resolve("out").resolve(veryDeep).getParent());
        Path out = unpack(files);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(out.resolve(f.getKey())), f.getKey());
        }
    }

    @Test
    void aPaxRecordCountsItsOwnLength() {
        for (String v : new String[] {"a", "x".repeat(89), "x".repeat(90), "x".repeat(91), "x".repeat(990), "x".repeat(995)}) {
            String r = TarStream.paxRecord("path", v);
            int len = Integer.parseInt(r.substring(0, r.indexOf(' ')));
            assertEquals(r.getBytes(StandardCharsets.UTF_8).length, len, "record for a value of " + v.length());
        }
    }

    @Test
    void absolutePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TarStream.write(Map.of("/etc/x", new byte[0]), new ByteArrayOutputStream()));
    }
}
