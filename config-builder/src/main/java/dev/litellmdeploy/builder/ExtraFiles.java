package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files a bundle carries beside config.yaml: {@code include:} files and the Python modules the
 * config loads from its folder. Each is a plain name in the config's folder (no subdirectory, no
 * {@code ..}, no absolute path), a regular file (no link), UTF-8 text, and not a name of the bundle's
 * own. The root helper checks the same rule on the server (helper-body.sh {@code extra_file}).
 * Subdirectories are refused: LiteLLM turns a module's dots into folders ({@code hooks.auth.fn} is
 * hooks/auth.py), but a flat folder keeps the helper's gate a single name check and every documented
 * example is flat.
 */
final class ExtraFiles {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\\.(yaml|yml|py)");
    static final Set<String> RESERVED = Set.of(BundleWriter.CONFIG, BundleWriter.REDACTED_CONFIG);
    static final long MAX_BYTES = 1024 * 1024;

    private ExtraFiles() {
    }

    /** Why NAME cannot go into a bundle, or null when it can. */
    static String refusal(String name) {
        if (name.startsWith("/") || name.contains("\\") || name.matches("[A-Za-z]:.*")) {
            return "is an absolute path; name a file in the config's folder";
        }
        if (name.equals("..") || name.startsWith("../") || name.contains("/../") || name.endsWith("/..")) {
            return "leaves the config's folder";
        }
        if (name.contains("/")) {
            return "is in a subdirectory; litellm-deploy bundles only files directly beside the config: move it there";
        }
        if (RESERVED.contains(name)) {
            return "is a name of the bundle's own";
        }
        if (!NAME.matcher(name).matches()) {
            return "is not a plain file name ending in .yaml, .yml or .py (letters, digits, _ . -)";
        }
        return null;
    }

    /** The file's text: a regular file (a link is refused, not followed), UTF-8, at most 1 MiB; null when it does not exist. */
    static String read(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        if (a.isSymbolicLink()) {
            throw new IOException("is a symbolic link; a bundle holds only regular files: copy the file there");
        }
        if (!a.isRegularFile()) {
            throw new IOException("is not a regular file");
        }
        if (a.size() > MAX_BYTES) {
            throw new IOException("is larger than 1 MiB");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("is not UTF-8 text");
        }
    }
}
