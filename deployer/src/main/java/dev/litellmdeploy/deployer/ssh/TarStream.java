package dev.litellmdeploy.deployer.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The tar stream of an upload: POSIX ustar (the format every tar reads), plain files only, mode 0600, owner 0, time 0,
 * names split into ustar's prefix and name fields, and a pax {@code path} record first for a name that does not fit.
 * Written here rather than taken from commons-compress: the upload needs these 512-byte headers only, and that library
 * with the three it depends on cost the action's jar 3.5 MB. {@code TarStreamTest} checks every stream with the real
 * GNU tar.
 */
public final class TarStream {
    private static final int BLOCK = 512;

    private TarStream() {
    }

    /** The whole stream of these files in memory (what {@link #write} writes). */
    public static byte[] of(Map<String, byte[]> files) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(files, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** How many bytes {@link #write} writes for these files. */
    public static long size(Map<String, byte[]> files) {
        long[] count = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try {
            write(files, counter);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count[0];
    }

    /** Writes the files (path without the leading '/' -> content) and the end-of-archive blocks. */
    public static void write(Map<String, byte[]> files, OutputStream out) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            file(f.getKey(), f.getValue(), out);
        }
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private static void file(String path, byte[] content, OutputStream out) throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\0")) {
            throw new IllegalArgumentException("not a relative path: " + path);
        }
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int split = split(name);
        if (split < -1) { // fits neither way: a pax extended header names it
            String record = paxRecord("path", path);
            byte[] body = record.getBytes(StandardCharsets.UTF_8);
            out.write(header("PaxHeaders/entry".getBytes(StandardCharsets.US_ASCII), new byte[0], body.length, (byte) 'x'));
            padded(body, out);
            out.write(header(ascii(path, 100), new byte[0], content.length, (byte) '0'));
        } else if (split == -1) {
            out.write(header(name, new byte[0], content.length, (byte) '0'));
        } else {
            byte[] prefix = java.util.Arrays.copyOfRange(name, 0, split);
            byte[] rest = java.util.Arrays.copyOfRange(name, split + 1, name.length);
            out.write(header(rest, prefix, content.length, (byte) '0'));
        }
        padded(content, out);
    }

    /** -1: the name fits the name field; i >= 0: split at the '/' at i (prefix <= 155, name <= 100); -2: neither. */
    private static int split(byte[] name) {
        if (name.length <= 100) {
            return -1;
        }
        for (int i = Math.min(155, name.length - 1); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
                return i;
            }
        }
        return -2;
    }

    /** A pax record: "LEN key=value\n", where LEN counts the whole record, its own digits included. */
    static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        return len + " " + key + "=" + value + "\n";
    }

    private static byte[] ascii(String path, int max) {
        String fallback = path.replaceAll("[^A-Za-z0-9._/-]", "_");
        return fallback.substring(Math.max(0, fallback.length() - max)).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] header(byte[] name, byte[] prefix, long size, byte type) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        octal(h, 100, 8, 0600);       // mode
        octal(h, 108, 8, 0);          // uid
        octal(h, 116, 8, 0);          // gid
        octal(h, 124, 12, size);      // size
        octal(h, 136, 12, 0);         // mtime
        java.util.Arrays.fill(h, 148, 156, (byte) ' '); // the checksum counts its own field as spaces
        h[156] = type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        System.arraycopy(prefix, 0, h, 345, Math.min(155, prefix.length));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("too large for a tar header: " + value);
        }
        byte[] b = ("0".repeat(width - 1 - digits.length()) + digits).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, width - 1);
        h[at + width - 1] = 0;
    }

    private static void padded(byte[] content, OutputStream out) throws IOException {
        out.write(content);
        int rest = content.length % BLOCK;
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
