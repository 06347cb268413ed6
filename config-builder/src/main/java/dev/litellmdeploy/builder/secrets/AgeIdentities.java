package dev.litellmdeploy.builder.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;

/**
 * The age identities (X25519, {@code AGE-SECRET-KEY-1...}) that open encrypted secrets files, each with where it came
 * from (a file, {@code SOPS_AGE_KEY}, the action input) for messages. Read the way sops reads them: one identity a line,
 * blank lines and {@code #} comments skipped ({@code SOPS_AGE_KEY} may hold several a line). Parsing and unwrapping are
 * jagged's; messages name the source and line, never the key.
 */
public final class AgeIdentities {
    /** sops' own variables and its default key file under the user's config directory. */
    public static final String SOPS_AGE_KEY = "SOPS_AGE_KEY";
    public static final String SOPS_AGE_KEY_FILE = "SOPS_AGE_KEY_FILE";
    public static final String USER_KEYS_FILE = "sops/age/keys.txt";

    private record Identity(String key, String source, RecipientStanzaReader reader) {
    }

    private final List<Identity> identities;

    private AgeIdentities(List<Identity> identities) {
        this.identities = List.copyOf(identities);
    }

    public static AgeIdentities none() {
        return new AgeIdentities(List.of());
    }

    /** Identities in a key file's text (age-keygen output); {@code source} names it in messages. */
    public static AgeIdentities parse(String text, String source, boolean severalPerLine) throws DecryptionException {
        List<Identity> out = new ArrayList<>();
        String[] lines = text.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            for (String word : severalPerLine ? line.split("\\s+") : new String[] {line}) {
                out.add(identity(word, source, i + 1));
            }
        }
        return new AgeIdentities(out);
    }

    /** A key file (--age-identity FILE, SOPS_AGE_KEY_FILE). */
    public static AgeIdentities read(Path file, String source) throws DecryptionException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source, false);
        } catch (IOException e) {
            throw new DecryptionException("secrets-age-identity-unreadable", "cannot read the age identity file " + source + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * What sops itself reads: {@code SOPS_AGE_KEY} (identities), {@code SOPS_AGE_KEY_FILE} (a key file), and
     * {@code <user config dir>/sops/age/keys.txt} when it exists (the user config dir is {@code $XDG_CONFIG_HOME}, else
     * {@code ~/.config}). {@code SOPS_AGE_KEY_CMD} and SSH identities are not read.
     */
    public static AgeIdentities sopsEnvironment(Map<String, String> env) throws DecryptionException {
        AgeIdentities all = none();
        String inline = env.get(SOPS_AGE_KEY);
        if (inline != null) {
            all = all.plus(parse(inline, "$" + SOPS_AGE_KEY, true));
        }
        String file = env.get(SOPS_AGE_KEY_FILE);
        if (file != null && !file.isEmpty()) {
            all = all.plus(read(Path.of(file), "$" + SOPS_AGE_KEY_FILE + " (" + file + ")"));
        }
        Path configDir = userConfigDir(env);
        if (configDir != null && Files.isRegularFile(configDir.resolve(USER_KEYS_FILE))) {
            Path keys = configDir.resolve(USER_KEYS_FILE);
            all = all.plus(read(keys, keys.toString()));
        }
        return all;
    }

    private static Path userConfigDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg);
        }
        String home = env.get("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, ".config");
    }

    private static Identity identity(String word, String source, int line) throws DecryptionException {
        String where = source + " line " + line;
        if (word.startsWith("AGE-SECRET-KEY-PQ-1") || word.startsWith("AGE-PLUGIN-")) {
            throw new DecryptionException("secrets-age-identity-unsupported", where + " is a post-quantum or plugin age identity,"
                    + " which litellm-deploy cannot use; give an X25519 identity (age-keygen)");
        }
        if (!word.startsWith("AGE-SECRET-KEY-1")) {
            throw new DecryptionException("secrets-age-identity-invalid", where + " is not an age identity"
                    + " (expected AGE-SECRET-KEY-1..., as age-keygen writes it; SSH keys are not read)");
        }
        try {
            return new Identity(word, source, X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(word));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DecryptionException("secrets-age-identity-invalid", where + " is not a valid age identity (bad checksum or"
                    + " length); copy it again from the key file");
        }
    }

    public AgeIdentities plus(AgeIdentities other) {
        List<Identity> all = new ArrayList<>(identities);
        all.addAll(other.identities);
        return new AgeIdentities(all);
    }

    public boolean isEmpty() {
        return identities.isEmpty();
    }

    public int size() {
        return identities.size();
    }

    /** Where the identities came from, for messages ("2 identities from --age-identity keys.txt, $SOPS_AGE_KEY"). */
    public String describe() {
        LinkedHashSet<String> sources = new LinkedHashSet<>();
        identities.forEach(i -> sources.add(i.source()));
        return identities.size() + (identities.size() == 1 ? " identity" : " identities") + " from " + String.join(", ", sources);
    }

    /** The keys themselves, for the secret masks (never to print). */
    public List<String> secretTexts() {
        return identities.stream().map(Identity::key).toList();
    }

    List<RecipientStanzaReader> readers() {
        return identities.stream().map(Identity::reader).toList();
    }
}
