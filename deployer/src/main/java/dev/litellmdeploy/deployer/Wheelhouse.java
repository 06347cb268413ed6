package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * A wheelhouse on this machine (the *.whl files and requirements.txt that tools/prepare-wheelhouse writes), named by its
 * content: {@code digest} is the sha256 of its checksum list ({@code <sha256>  <name>} lines, sorted by name), which the
 * root helper recomputes on its own copy. On a server it lives at {@code <state dir>/wheelhouses/<first 12 of digest>},
 * which the unit's UV_FIND_LINKS names (a bundle built with {@code --wheelhouse}).
 */
public record Wheelhouse(Path dir, Map<String, String> sha256ByName, String checksums, String digest) {
    /** What the helper accepts as a file of a wheelhouse (besides requirements.txt). */
    static final Pattern WHEEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\\.whl");
    static final String REQUIREMENTS = "requirements.txt";
    private static final String IGNORED = "requirements.in";
    private static final Pattern FIND_LINKS = Pattern.compile("(?m)^Environment=\"UV_FIND_LINKS=(\\S+)/wheelhouses/([0-9a-f]{12})\"$");

    /** Reads and digests a local wheelhouse directory (its wheels and requirements.txt; hidden files and requirements.in stay here); refuses anything else. */
    public static Wheelhouse read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the wheelhouse " + dir + " is not a directory (make one with tools/prepare-wheelhouse VERSION)");
        }
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || IGNORED.equals(name)) {
                    continue; // tools/prepare-wheelhouse's .complete marker and the input of its resolution
                }
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !(WHEEL.matcher(name).matches() || REQUIREMENTS.equals(name))) {
                    throw new IllegalArgumentException("the wheelhouse " + dir + " holds " + name + ", which is not a plain *.whl file or"
                            + " requirements.txt; a wheelhouse holds only those (as tools/prepare-wheelhouse writes it)");
                }
                digests.put(name, sha256(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the wheelhouse " + dir, e);
        }
        if (digests.keySet().stream().noneMatch(n -> n.endsWith(".whl"))) {
            throw new IllegalArgumentException("the wheelhouse " + dir + " holds no wheels (make one with tools/prepare-wheelhouse VERSION)");
        }
        return of(dir, digests);
    }

    /** The wheelhouse these files (name -> sha256) make: its checksum list, sorted by name, and the digest of that list. */
    static Wheelhouse of(Path dir, Map<String, String> sha256ByName) {
        Map<String, String> sorted = new TreeMap<>(sha256ByName);
        StringBuilder list = new StringBuilder();
        sorted.forEach((name, sha) -> list.append(sha).append("  ").append(name).append('\n'));
        String text = list.toString();
        return new Wheelhouse(dir, Map.copyOf(sorted), text, Bundle.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    public String shortDigest() {
        return digest.substring(0, 12);
    }

    /** Where the helper keeps it on a server with this layout. */
    public static String remoteDir(RemoteLayout layout, String shortDigest) {
        return layout.stateDir() + "/wheelhouses/" + shortDigest;
    }

    public String remoteDir(RemoteLayout layout) {
        return remoteDir(layout, shortDigest());
    }

    /** The unit environment that makes uvx install LiteLLM from this wheelhouse only, with the system Python. */
    public Map<String, String> unitEnvironment(RemoteLayout layout) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UV_OFFLINE", "1");
        env.put("UV_FIND_LINKS", remoteDir(layout));
        env.put("UV_PYTHON_DOWNLOADS", "never");
        return env;
    }

    /** The short digest of the wheelhouse this bundle's unit installs from (a bundle built with --wheelhouse), or null. */
    public static String namedBy(Bundle bundle, RemoteLayout layout) {
        byte[] unit = bundle.files().get(Bundle.UNIT);
        if (unit == null) {
            return null;
        }
        Matcher m = FIND_LINKS.matcher(new String(unit, StandardCharsets.UTF_8));
        return m.find() && m.group(1).equals(layout.stateDir()) ? m.group(2) : null;
    }

    /** Whether a host that holds these wheelhouses (full digests) has the one with this short digest. */
    public static boolean present(List<String> onHost, String shortDigest) {
        return onHost.stream().anyMatch(d -> d.startsWith(shortDigest));
    }

    public long bytes() {
        try {
            long n = 0;
            for (String name : sha256ByName.keySet()) {
                n += Files.size(dir.resolve(name));
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sha256 of a file (not followed if it is a link), in hex. */
    public static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
