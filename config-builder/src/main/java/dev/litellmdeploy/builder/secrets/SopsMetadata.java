package dev.litellmdeploy.builder.secrets;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code sops:} block of a sops file, as sops' stores/stores.go reads it: the age recipients with their wrapped
 * data keys, which other key types the file has, the rule that says which values are encrypted, and the MAC with the
 * time it is bound to.
 */
final class SopsMetadata {
    /** Key types sops knows besides age; a file that has only these cannot be opened here. */
    private static final List<String> OTHER_KEY_TYPES = List.of("pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms");
    private static final DateTimeFormatter GO_RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    record AgeStanza(String recipient, String wrappedKey) {
    }

    final List<AgeStanza> age = new ArrayList<>();
    final List<String> otherKeyTypes = new ArrayList<>();
    final String mac;
    final String lastModified;
    final boolean macOnlyEncrypted;
    private final String unencryptedSuffix;
    private final String encryptedSuffix;
    private final Pattern unencryptedRegex;
    private final Pattern encryptedRegex;

    private SopsMetadata(Map<?, ?> m, String file) throws DecryptionException {
        mac = m.get("mac") == null ? "" : String.valueOf(m.get("mac"));
        lastModified = goRfc3339(m.get("lastmodified"), file);
        macOnlyEncrypted = Boolean.TRUE.equals(m.get("mac_only_encrypted"));
        if (m.get("encrypted_comment_regex") != null || m.get("unencrypted_comment_regex") != null) {
            throw new DecryptionException("secrets-sops-unsupported", file + " chooses its encrypted values by comments"
                    + " (encrypted_comment_regex / unencrypted_comment_regex), which litellm-deploy does not read; use"
                    + " encrypted_regex or the default");
        }
        String us = text(m, "unencrypted_suffix");
        String es = text(m, "encrypted_suffix");
        String ur = text(m, "unencrypted_regex");
        String er = text(m, "encrypted_regex");
        long rules = java.util.stream.Stream.of(us, es, ur, er).filter(s -> s != null && !s.isEmpty()).count();
        if (rules > 1) {
            throw new DecryptionException("secrets-sops-unsupported", file + " names more than one of encrypted_suffix,"
                    + " unencrypted_suffix, encrypted_regex, unencrypted_regex (sops refuses such a file too)");
        }
        unencryptedSuffix = rules == 0 ? "_unencrypted" : us == null ? "" : us;
        encryptedSuffix = es;
        unencryptedRegex = regex(ur, file);
        encryptedRegex = regex(er, file);
        readKeys(m, file);
    }

    static SopsMetadata of(Object sops, String file) throws DecryptionException {
        if (!(sops instanceof Map<?, ?> m)) {
            throw new DecryptionException("secrets-sops-unsupported", file + " has a 'sops' key that is not sops metadata");
        }
        return new SopsMetadata(m, file);
    }

    private void readKeys(Map<?, ?> m, String file) throws DecryptionException {
        List<Map<?, ?>> groups = new ArrayList<>();
        if (m.get("key_groups") instanceof List<?> list && !list.isEmpty()) {
            if (list.size() > 1) {
                throw new DecryptionException("secrets-sops-unsupported", file + " splits its data key over " + list.size()
                        + " key groups (Shamir secret sharing), which litellm-deploy does not support; use one group of"
                        + " age recipients");
            }
            if (list.get(0) instanceof Map<?, ?> g) {
                groups.add(g);
            }
        } else {
            groups.add(m);
        }
        for (Map<?, ?> g : groups) {
            if (g.get("age") instanceof List<?> entries) {
                for (Object e : entries) {
                    if (e instanceof Map<?, ?> entry && entry.get("enc") != null) {
                        age.add(new AgeStanza(String.valueOf(entry.get("recipient")), String.valueOf(entry.get("enc"))));
                    }
                }
            }
            for (String type : OTHER_KEY_TYPES) {
                if (g.get(type) instanceof List<?> l && !l.isEmpty()) {
                    otherKeyTypes.add(type);
                }
            }
        }
    }

    /** sops.go shouldBeEncrypted, for the rules read here. */
    boolean shouldBeEncrypted(List<String> path) {
        boolean encrypted = true;
        if (!unencryptedSuffix.isEmpty() && path.stream().anyMatch(p -> p.endsWith(unencryptedSuffix))) {
            encrypted = false;
        }
        if (encryptedSuffix != null && !encryptedSuffix.isEmpty()) {
            encrypted = path.stream().anyMatch(p -> p.endsWith(encryptedSuffix));
        }
        if (unencryptedRegex != null && path.stream().anyMatch(p -> unencryptedRegex.matcher(p).find())) {
            encrypted = false;
        }
        if (encryptedRegex != null) {
            encrypted = path.stream().anyMatch(p -> encryptedRegex.matcher(p).find());
        }
        return encrypted;
    }

    private static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static Pattern regex(String value, String file) throws DecryptionException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new DecryptionException("secrets-sops-unsupported", file + " has an encrypted/unencrypted regex this tool"
                    + " cannot read as a Java regular expression");
        }
    }

    /** The MAC's additional data: lastmodified read and written again as Go's time.RFC3339 (whole seconds, Z for UTC). */
    private static String goRfc3339(Object value, String file) throws DecryptionException {
        if (value instanceof Date d) {
            return GO_RFC3339.format(d.toInstant().atOffset(ZoneOffset.UTC));
        }
        try {
            return GO_RFC3339.format(OffsetDateTime.parse(String.valueOf(value)));
        } catch (DateTimeParseException e) {
            throw new DecryptionException("secrets-sops-unsupported", file + " has no valid sops lastmodified time");
        }
    }
}
