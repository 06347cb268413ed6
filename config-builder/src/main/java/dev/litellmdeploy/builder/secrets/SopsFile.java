package dev.litellmdeploy.builder.secrets;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A sops-encrypted YAML or JSON file opened in memory, as {@code sops -d} opens it: the data key unwrapped with an age
 * identity, every value decrypted with AES-256-GCM and its key path as additional data, and the file's MAC (SHA-512
 * over the values in file order, sops.go Tree.Decrypt) checked before anything is used. Comments are not part of the
 * MAC and are not read.
 */
public final class SopsFile {
    /** The values, and the line of each key path in the encrypted file (for messages). */
    public record Opened(Map<String, Object> values, Map<String, Integer> lines) {
    }

    /** 32 bytes sops starts a MAC with when only encrypted values are hashed (sops.go MACOnlyEncryptedInitialization). */
    private static final byte[] MAC_ONLY_ENCRYPTED_INIT = HexFormat.of()
            .parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

    private final String file;
    private final SopsMetadata metadata;
    private final byte[] dataKey;
    private final MessageDigest mac;
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    private SopsFile(String file, SopsMetadata metadata, byte[] dataKey) {
        this.file = file;
        this.metadata = metadata;
        this.dataKey = dataKey;
        try {
            mac = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (metadata.macOnlyEncrypted) {
            mac.update(MAC_ONLY_ENCRYPTED_INIT);
        }
    }

    /** A parsed document that carries sops metadata: a top-level {@code sops} mapping with a {@code mac}. */
    public static boolean carriesMetadata(Object document) {
        return document instanceof Map<?, ?> m && m.get("sops") instanceof Map<?, ?> sops && sops.containsKey("mac");
    }

    /**
     * @param document the file already parsed (its {@code sops} block is read from it)
     * @param yaml the parser the plain files use (same limits), for the node tree
     */
    public static Opened open(String text, Object document, Yaml yaml, String file, AgeIdentities identities)
            throws DecryptionException {
        SopsMetadata metadata = SopsMetadata.of(((Map<?, ?>) document).get("sops"), file);
        SopsFile opened = new SopsFile(file, metadata, dataKey(metadata, identities, file));
        Node root = yaml.compose(new StringReader(text));
        Map<String, Object> values = opened.mapping((MappingNode) root, new ArrayList<>(), "");
        opened.verifyMac();
        return new Opened(values, opened.lines);
    }

    private static byte[] dataKey(SopsMetadata metadata, AgeIdentities identities, String file) throws DecryptionException {
        if (metadata.age.isEmpty()) {
            throw new DecryptionException("secrets-sops-no-age-recipient", file + " is encrypted for "
                    + (metadata.otherKeyTypes.isEmpty() ? "no key at all" : String.join(", ", metadata.otherKeyTypes) + " only")
                    + ", and litellm-deploy opens sops files with age keys only; add an age recipient"
                    + " (sops updatekeys with an age key in .sops.yaml, or sops -r -i --add-age age1... " + file + ")");
        }
        List<String> recipients = metadata.age.stream().map(SopsMetadata.AgeStanza::recipient).toList();
        if (identities.isEmpty()) {
            throw new DecryptionException("secrets-age-no-identity", file + " is sops-encrypted for age recipient(s) "
                    + String.join(", ", recipients) + " and no age identity was given; give one with --age-identity FILE,"
                    + " SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, or the action input age-key");
        }
        for (SopsMetadata.AgeStanza stanza : metadata.age) {
            try {
                byte[] key = AgeDecryption.decrypt(stanza.wrappedKey().getBytes(StandardCharsets.US_ASCII), identities, file);
                if (key.length != 32) {
                    throw new DecryptionException("secrets-sops-tampered", file + ": the data key for " + stanza.recipient()
                            + " is not 32 bytes; restore the file from version control");
                }
                return key;
            } catch (DecryptionException e) {
                if (!e.code().equals("secrets-age-wrong-key")) {
                    throw e;
                }
            }
        }
        throw new DecryptionException("secrets-age-wrong-key", file + ": none of the " + identities.describe()
                + " opens its data key; it is encrypted for age recipient(s) " + String.join(", ", recipients));
    }

    private Map<String, Object> mapping(MappingNode node, List<String> path, String dotted) throws DecryptionException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new DecryptionException("secrets-sops-unsupported", dotted, line(t.getKeyNode()), file
                        + " has a key that is not a string" + (dotted.isEmpty() ? "" : " under '" + dotted + "'"));
            }
            String key = keyNode.getValue();
            if (path.isEmpty() && key.equals("sops")) {
                continue;
            }
            String child = dotted.isEmpty() ? key : dotted + "." + key;
            lines.putIfAbsent(child, line(keyNode));
            path.add(key);
            out.put(key, value(t.getValueNode(), path, child));
            path.remove(path.size() - 1);
        }
        return out;
    }

    private Object value(Node node, List<String> path, String dotted) throws DecryptionException {
        if (node instanceof MappingNode map) {
            return mapping(map, path, dotted);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                out.add(value(seq.getValue().get(i), path, dotted + "[" + i + "]"));
            }
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
        Object stored = plain ? GoYamlScalars.resolvePlain(scalar.getValue()) : scalar.getValue();
        if (stored == null) {
            return null;
        }
        boolean encrypted = metadata.shouldBeEncrypted(path);
        Object value = stored;
        if (encrypted) {
            if (!(stored instanceof String text)) {
                throw tampered(dotted, node, "is not encrypted (a " + stored.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                        + " where sops writes ENC[...])");
            }
            try {
                value = SopsValue.decrypt(text, dataKey, String.join(":", path) + ":");
            } catch (SopsValue.TamperedException e) {
                throw tampered(dotted, node, e.getMessage());
            }
        }
        if (!metadata.macOnlyEncrypted || encrypted) {
            mac.update(SopsValue.macBytes(value));
        }
        return value;
    }

    private DecryptionException tampered(String dotted, Node node, String why) {
        return new DecryptionException("secrets-sops-tampered", dotted, line(node), file + ": the value of '" + dotted + "' "
                + why + "; restore the file from version control, or set the value again with sops");
    }

    private void verifyMac() throws DecryptionException {
        String computed = HexFormat.of().withUpperCase().formatHex(mac.digest());
        String stored;
        try {
            stored = String.valueOf(SopsValue.decrypt(metadata.mac, dataKey, metadata.lastModified));
        } catch (SopsValue.TamperedException e) {
            throw new DecryptionException("secrets-sops-mac-mismatch", file + ": its MAC (sops.mac) " + e.getMessage()
                    + "; restore the file from version control, or re-encrypt it with sops");
        }
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII))) {
            throw new DecryptionException("secrets-sops-mac-mismatch", file + ": its MAC does not match its values (a value"
                    + " was added, removed, reordered or edited without sops); restore the file from version control, or"
                    + " re-encrypt it with sops");
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
