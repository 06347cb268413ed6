package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A uv "release archive" laid out like the real one (uv-x86_64-unknown-linux-gnu/{uv,uvx}) but
 * holding the uv stand-in, for the deployer to upload to a host that has no uv.
 */
public final class UvStandIn {
    public static final String VERSION = "0.9.17";

    private UvStandIn() {
    }

    public static Path archive(Path dir) throws IOException {
        byte[] script;
        try (InputStream in = UvStandIn.class.getResourceAsStream("/testhost/uv-standin.sh")) {
            script = in.readAllBytes();
        }
        Path file = dir.resolve("uv-x86_64-unknown-linux-gnu.tar.gz");
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (String name : new String[] {"uv", "uvx"}) {
                TarArchiveEntry entry = new TarArchiveEntry("uv-x86_64-unknown-linux-gnu/" + name);
                entry.setMode(0100755);
                entry.setSize(script.length);
                tar.putArchiveEntry(entry);
                tar.write(script);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }
}
