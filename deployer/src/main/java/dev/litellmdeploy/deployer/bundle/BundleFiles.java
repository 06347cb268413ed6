package dev.litellmdeploy.deployer.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Reads the files of a bundle directory as regular files only: a symbolic link (which could make
 * the deployer upload a file of the deploying machine, /etc/passwd or a key), a directory, a FIFO
 * or a device is refused before it is opened, and the open itself does not follow a link
 * (O_NOFOLLOW), so a link put in place after the check is refused too.
 */
final class BundleFiles {
    /** Far above any real config; keeps a mistaken multi-GB file from filling the deployer's memory. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private BundleFiles() {
    }

    /** The file's bytes; null when it does not exist. */
    static byte[] readRegular(Path dir, String name) throws BundleException, IOException {
        Path file = dir.resolve(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (attributes.isSymbolicLink()) {
            throw new BundleException(file + " is a symbolic link; a bundle holds only regular files (a link would make the deployer"
                    + " read and upload whatever it points to on this machine). Rebuild the bundle with `litellm-deploy build`");
        }
        if (!attributes.isRegularFile()) {
            throw new BundleException(file + " is not a regular file; rebuild the bundle with `litellm-deploy build`");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new BundleException(file + " is larger than " + MAX_BYTES / 1024 / 1024 + " MiB; that is no bundle file");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) attributes.size());
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) > 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (out.size() > MAX_BYTES) {
                    throw new BundleException(file + " is larger than " + MAX_BYTES / 1024 / 1024 + " MiB; that is no bundle file");
                }
            }
            return out.toByteArray();
        } catch (java.nio.file.FileSystemException e) {
            if (Files.isSymbolicLink(file)) {
                throw new BundleException(file + " became a symbolic link while it was read; a bundle holds only regular files", e);
            }
            throw e;
        }
    }
}
