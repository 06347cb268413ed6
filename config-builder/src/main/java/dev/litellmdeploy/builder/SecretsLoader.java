package dev.litellmdeploy.builder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.UnicodeReader;

import dev.litellmdeploy.builder.secrets.AgeDecryption;
import dev.litellmdeploy.builder.secrets.AgeIdentities;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.builder.secrets.SecretSource;
import dev.litellmdeploy.builder.secrets.SopsFile;

/**
 * Reads the checked-out secrets repo: every {@code *.yaml}, {@code *.yml}, {@code *.json} and {@code *.age}
 * below it (hidden folders such as .git skipped), in sorted path order, merged into one context.
 * A YAML/JSON file with sops metadata is opened in memory ({@link SopsFile}), an {@code *.age} file is decrypted
 * and read as YAML/JSON ({@link AgeDecryption}), both with the given age identities; nothing decrypted is written.
 * A key two files define differently is an error naming both files; symlinks that leave the
 * directory, files over {@value #MAX_FILE_BYTES} bytes and anything that is not a mapping are refused.
 */
public final class SecretsLoader {
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    /** What one pass over the directory found: the merged context, every file read, and every problem (errors too). */
    public record Inspection(SecretContext context, List<String> files, List<Finding> findings) {
    }

    private record Read(Object document, SecretSource.Protection protection, Map<String, Integer> lines) {
    }

    private final AgeIdentities identities;

    /** Plain files only: an encrypted file is an error that says how to give a key. */
    public SecretsLoader() {
        this(AgeIdentities.none());
    }

    public SecretsLoader(AgeIdentities identities) {
        this.identities = identities;
    }

    public SecretContext load(Path secretsDir) throws ConfigValidationException {
        Inspection inspection = inspect(secretsDir);
        if (inspection.findings().stream().anyMatch(Finding::isError)) {
            throw new ConfigValidationException(inspection.findings());
        }
        return inspection.context();
    }

    /** Reads every file, collecting problems instead of failing at the first (for {@code secrets check}). */
    public Inspection inspect(Path secretsDir) throws ConfigValidationException {
        List<Finding> findings = new ArrayList<>();
        SecretContext context = SecretContext.empty();
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(secretsDir)) {
            throw new ConfigValidationException(Finding.error("secrets-dir-missing", Location.of(secretsDir.toString(), 0),
                    "the secrets directory does not exist or is not a directory"));
        }
        Path root;
        try {
            root = secretsDir.toRealPath();
        } catch (IOException e) {
            throw new ConfigValidationException(Finding.error("secrets-dir-unreadable", Location.of(secretsDir.toString(), 0),
                    "cannot read the secrets directory: " + e.getClass().getSimpleName()));
        }
        for (Path link : symlinkedDirectories(secretsDir)) {
            if (!realPath(link).startsWith(root)) {
                findings.add(Finding.error("secrets-symlink-escape", Location.of(relative(secretsDir, link), 0),
                        "is a symlink to a directory outside the secrets directory; refusing to read it"));
            }
        }
        for (Path file : listFiles(secretsDir, findings)) {
            String name = relative(secretsDir, file);
            names.add(name);
            Read read = readFile(root, file, name, findings);
            if (read == null || read.document() == null) {
                continue;
            }
            if (!(read.document() instanceof Map<?, ?> map)) {
                findings.add(Finding.error("secrets-not-a-mapping", Location.of(name, 1),
                        "expected a mapping of names to values at the top, found a " + kind(read.document())));
                continue;
            }
            merge(context.values(), map, "", name, context.origins(), findings);
            context.origins().forEach((path, origin) -> {
                if (origin.equals(name)) {
                    context.sources().putIfAbsent(path, new SecretSource(name, read.lines().getOrDefault(path, 0), read.protection()));
                }
            });
        }
        return new SecretsLoader.Inspection(context, names, findings);
    }

    private static List<Path> listFiles(Path dir, List<Finding> findings) throws ConfigValidationException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !hidden(dir, p))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json") || n.endsWith(".age");
                    })
                    .filter(p -> Files.isSymbolicLink(p) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigValidationException(Finding.error("secrets-dir-unreadable", Location.of(dir.toString(), 0),
                    "cannot list the secrets directory: " + e.getClass().getSimpleName()));
        }
    }

    private static List<Path> symlinkedDirectories(Path dir) throws ConfigValidationException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !hidden(dir, p) && Files.isSymbolicLink(p) && Files.isDirectory(p)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigValidationException(Finding.error("secrets-dir-unreadable", Location.of(dir.toString(), 0),
                    "cannot list the secrets directory: " + e.getClass().getSimpleName()));
        }
    }

    /** A symlinked directory inside the secrets directory is not followed: its files are read where they really are. */
    private static Path realPath(Path p) throws ConfigValidationException {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new ConfigValidationException(Finding.error("secrets-dir-unreadable", Location.of(p.toString(), 0),
                    "cannot resolve a symlink: " + e.getClass().getSimpleName()));
        }
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private Read readFile(Path root, Path file, String name, List<Finding> findings) {
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                findings.add(Finding.error("secrets-symlink-escape", Location.of(name, 0),
                        "is a symlink that leads outside the secrets directory; refusing to read it"));
                return null;
            }
            if (Files.size(real) > MAX_FILE_BYTES) {
                findings.add(Finding.error("secrets-file-too-large", Location.of(name, 0),
                        "is larger than " + MAX_FILE_BYTES / 1024 + " KiB; a secrets file should be small"));
                return null;
            }
            byte[] bytes = Files.readAllBytes(real);
            boolean age = name.endsWith(".age");
            if (age) {
                bytes = AgeDecryption.decrypt(bytes, identities, name);
            }
            String text = text(bytes);
            Object document = yaml().load(text);
            if (document == null) {
                findings.add(Finding.warning("secrets-file-empty", Location.of(name, 0), "is empty; it adds nothing"));
            }
            if (!age && SopsFile.carriesMetadata(document)) {
                SopsFile.Opened opened = SopsFile.open(text, document, yaml(), name, identities);
                return new Read(opened.values(), SecretSource.Protection.SOPS, opened.lines());
            }
            return new Read(document, age ? SecretSource.Protection.AGE : SecretSource.Protection.PLAIN, Map.of());
        } catch (DecryptionException e) {
            findings.add(Finding.error(e.code(), Location.of(name, e.line()), stripFile(e.getMessage(), name)));
        } catch (YAMLException e) {
            findings.add(YamlErrors.toFinding("secrets-invalid-yaml", name, e));
        } catch (IOException e) {
            findings.add(Finding.error("secrets-file-unreadable", Location.of(name, 0),
                    "cannot be read: " + e.getClass().getSimpleName()));
        }
        return null;
    }

    /** The text as SnakeYAML's UnicodeReader reads it (a BOM picks the encoding, else UTF-8). */
    private static String text(byte[] bytes) throws IOException {
        try (UnicodeReader reader = new UnicodeReader(new ByteArrayInputStream(bytes))) {
            StringBuilder out = new StringBuilder(bytes.length);
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) > 0;) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        }
    }

    /** A finding's location already names the file: "x.sops.yaml: the value ..." reads "the value ...". */
    private static String stripFile(String message, String name) {
        return message.startsWith(name + ": ") ? message.substring(name.length() + 2)
                : message.startsWith(name + " ") ? message.substring(name.length() + 1) : message;
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit((int) MAX_FILE_BYTES * 2);
        return new Yaml(new SafeConstructor(options));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<?, ?> source, String prefix, String file,
            Map<String, String> origins, List<Finding> findings) {
        for (Map.Entry<?, ?> e : source.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = prefix + key;
            Object incoming = normalize(e.getValue());
            Object existing = target.get(key);
            if (!target.containsKey(key)) {
                target.put(key, incoming);
                recordOrigins(path, incoming, file, origins);
            } else if (existing instanceof Map<?, ?> && incoming instanceof Map<?, ?> incomingMap) {
                merge((Map<String, Object>) existing, incomingMap, path + ".", file, origins, findings);
            } else if (!Objects.equals(existing, incoming)) {
                String first = origins.getOrDefault(path, "an earlier file");
                findings.add(Finding.error("secrets-conflict", Location.of(file, 0),
                        "defines '" + path + "', which " + first + " already defines with a different value;"
                                + " keep one definition"));
            }
        }
    }

    private static void recordOrigins(String path, Object value, String file, Map<String, String> origins) {
        origins.put(path, file);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                recordOrigins(path + "." + e.getKey(), e.getValue(), file, origins);
            }
        }
    }

    /** Maps with string keys in file order, so the context is the same whatever the parser's map type. */
    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SecretsLoader::normalize).toList();
        }
        return value;
    }

    private static String kind(Object document) {
        if (document instanceof List<?>) {
            return "list";
        }
        return document instanceof String ? "string" : document.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
