package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Templates + secrets (or a ready config.yaml) to a bundle directory. The steps: load secrets,
 * render templates, parse, assemble, validate (every problem collected), redact, split secrets
 * into litellm.env in env-file mode, render the unit, write. Nothing is written unless every
 * input is valid.
 */
public final class ConfigBuilder {
    public static final String SKELETON = "config.yaml.mustache";
    public static final String MODELS_DIR = "models";

    private final SecretsLoader secretsLoader;

    /** Plain secrets files only (an encrypted one is an error that says how to give a key). */
    public ConfigBuilder() {
        this(new SecretsLoader());
    }

    /** With the loader that holds the age identities for encrypted secrets files. */
    public ConfigBuilder(SecretsLoader secretsLoader) {
        this.secretsLoader = secretsLoader;
    }

    public BuildResult build(BuildRequest request) throws ConfigValidationException, IOException {
        BundleOptions options = request.options();
        SecretContext secrets = request.secretsDir() == null ? SecretContext.empty() : secretsLoader.load(request.secretsDir());
        List<Finding> warnings = new ArrayList<>();
        List<LocatedYaml> documents = request.configFile() != null
                ? List.of(readConfig(request.configFile()))
                : renderTemplates(request.templatesDir(), secrets, warnings);

        AssembledConfig written = new ConfigAssembler().assemble(documents);
        Path folder = request.configFile() != null ? request.configFile().toAbsolutePath().getParent() : request.templatesDir();
        Checked checked = check(written, folder, options.validation());
        AssembledConfig assembled = checked.merged();
        List<Finding> findings = new ArrayList<>(checked.findings());
        findings.addAll(0, warnings);
        if (options.envFileMode() && !checked.files().isEmpty()) {
            findings.add(Finding.error("env-file-with-extra-files", written.locate(Includes.KEY), "env-file mode moves secrets out of"
                    + " config.yaml only; it does not yet rewrite include: files or Python modules. Build without --env-file"));
        }
        findings.addAll(lockMatches(options));
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new ConfigValidationException(findings);
        }

        List<String> secretValues = new ArrayList<>(secrets.secretStrings());
        secretValues.addAll(Redactor.sensitiveValues(assembled.config()));
        Redactor redactor = new Redactor(secretValues);

        Map<String, Object> config = assembled.config();
        Map<String, String> env = Map.of();
        if (options.envFileMode()) {
            EnvFileSplit.Result split = new EnvFileSplit().split(assembled, secretNames(secrets), redactor);
            config = split.config();
            env = split.env();
            findings.addAll(split.warnings());
        }
        String configYaml = YamlOutput.dump(options.envFileMode() ? config : written.config());
        String redacted = Redactor.HEADER + "\n" + YamlOutput.dump(withInclude(redactor.redactTree(assembled.config()), written.config()));

        Map<String, String> files = new LinkedHashMap<>();
        files.put(BundleWriter.CONFIG, configYaml);
        files.put(BundleWriter.REDACTED_CONFIG, redacted);
        files.put(BundleWriter.UNIT, new UnitRenderer().render(request.templatesDir(), options));
        if (options.envFileMode()) {
            files.put(BundleWriter.ENV_FILE, EnvFileSplit.render(env));
        }
        files.putAll(checked.files());
        if (options.pythonLock() != null) {
            files.put(PythonLock.FILE, options.pythonLock().text());
        }
        List<String> models = modelNames(config);
        List<String> envRefs = envRefs(config);
        List<String> provided = List.copyOf(new TreeSet<>(env.keySet()));
        Manifest manifest = new BundleWriter().write(request.outDir(), files, (id, digests) -> new Manifest(Manifest.FORMAT, id,
                digests, options.litellmVersion(), options.pythonVersion(), options.host(), options.port(), models, envRefs,
                provided, options.sourceRevision(), buildTime(), null));
        return new BuildResult(request.outDir(), manifest, findings, redacted, redactor);
    }

    /** The lock must be for the LiteLLM and Python the bundle names (the unit runs what the lock installs). */
    static List<Finding> lockMatches(BundleOptions options) {
        PythonLock lock = options.pythonLock();
        List<Finding> out = new ArrayList<>();
        if (lock == null) {
            return out;
        }
        if (!lock.litellmVersion().equals(options.litellmVersion())) {
            out.add(Finding.error("lock-version", Location.of(PythonLock.FILE, 0), "the lock pins litellm==" + lock.litellmVersion()
                    + " but the bundle is for LiteLLM " + options.litellmVersion() + ": pass --litellm-version " + lock.litellmVersion()
                    + ", or make the lock again with `litellm-deploy lock --litellm-version " + options.litellmVersion() + "`"));
        }
        if (!lock.pythonVersion().equals(options.pythonVersion())) {
            out.add(Finding.error("lock-python", Location.of(PythonLock.FILE, 0), "the lock is for Python " + lock.pythonVersion()
                    + " but the bundle is for Python " + options.pythonVersion() + ": pass --python-version " + lock.pythonVersion()
                    + ", or make the lock again with `litellm-deploy lock --python-version " + options.pythonVersion() + "`"));
        }
        return out;
    }

    /** Checks any LiteLLM config.yaml (with its include: files and modules); returns every finding (errors and warnings), writes nothing. */
    public List<Finding> validate(Path configFile, ValidationOptions options) {
        try {
            LocatedYaml config = readConfig(configFile);
            // proxy_server.py _get_config_from_file refuses an empty config; get_config (1.80.9) and
            // config_includes.py (1.108.7) fail on a document that is not a mapping. (Templates may be lists; a config may not.)
            if (config.data() == null) {
                return List.of(Finding.error(Rule.CONFIG_EMPTY.code(), Location.of(config.file(), 1),
                        "the config holds no YAML document; LiteLLM refuses to start (\"Config cannot be None or Empty\")"));
            }
            if (!(config.data() instanceof Map<?, ?>)) {
                return List.of(Finding.error(Rule.DOCUMENT_NOT_A_MAPPING.code(), Location.of(config.file(), 1), "the config is a "
                        + (config.data() instanceof List<?> ? "list" : config.data().getClass().getSimpleName())
                        + ", not a mapping of sections (model_list:, general_settings:, ...); LiteLLM refuses to start"));
            }
            AssembledConfig assembled = new ConfigAssembler().assemble(List.of(config));
            return check(assembled, configFile.toAbsolutePath().getParent(), options).findings();
        } catch (ConfigValidationException e) {
            return e.findings();
        }
    }

    /** What rendering the templates with these secrets finds (unused secrets among the warnings), writing nothing. */
    public List<Finding> templateFindings(Path templatesDir, SecretContext secrets) throws IOException {
        List<Finding> warnings = new ArrayList<>();
        try {
            renderTemplates(templatesDir, secrets, warnings);
            return warnings;
        } catch (ConfigValidationException e) {
            return e.findings();
        }
    }

    /** The merged view (include: resolved), every finding on it, and the files that go beside config.yaml (name -> text). */
    private record Checked(AssembledConfig merged, List<Finding> findings, Map<String, String> files) {
    }

    private static Checked check(AssembledConfig written, Path folder, ValidationOptions options) {
        Includes.Resolved included = Includes.resolve(written, folder, options.litellmVersion());
        LocalModules.Found modules = LocalModules.find(included.merged(), folder, options.litellmVersion());
        List<Finding> findings = new ArrayList<>(included.findings());
        // a file that could not be read leaves no merged view to check: "model_list is missing" would be the wrong message
        if (included.findings().stream().noneMatch(f -> Includes.UNREAD.contains(f.code()))) {
            findings.addAll(new ConfigValidator().validate(included.merged(), options));
        }
        findings.addAll(modules.findings());
        Map<String, String> files = new java.util.TreeMap<>(included.files());
        files.putAll(modules.files());
        return new Checked(included.merged(), findings, files);
    }

    /** The redacted view shows the include list (file names) where config.yaml has it. */
    private static Object withInclude(Object redacted, Map<String, Object> written) {
        if (!written.containsKey(Includes.KEY) || !(redacted instanceof Map<?, ?> view) || view.containsKey(Includes.KEY)) {
            return redacted;
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        out.put(Includes.KEY, written.get(Includes.KEY));
        out.putAll(view);
        return out;
    }

    private static LocatedYaml readConfig(Path file) throws ConfigValidationException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return LocatedYaml.parse(file.getFileName().toString(), text);
        } catch (IOException e) {
            throw new ConfigValidationException(Finding.error("config-unreadable", Location.of(file.toString(), 0),
                    "cannot read the config: " + e.getClass().getSimpleName()));
        }
    }

    private static List<LocatedYaml> renderTemplates(Path templatesDir, SecretContext secrets, List<Finding> warnings)
            throws ConfigValidationException, IOException {
        if (templatesDir == null || !Files.isDirectory(templatesDir)) {
            throw new ConfigValidationException(Finding.error("templates-dir-missing",
                    Location.of(String.valueOf(templatesDir), 0), "the templates directory does not exist"));
        }
        List<String> files = templateFiles(templatesDir);
        if (files.isEmpty()) {
            throw new ConfigValidationException(Finding.error("no-templates", Location.of(templatesDir.toString(), 0),
                    "holds neither " + SKELETON + " nor " + MODELS_DIR + "/*.yaml.mustache"));
        }
        TemplateRenderer.Result rendered = new TemplateRenderer().render(templatesDir, files, secrets);
        warnings.addAll(rendered.warnings());
        List<LocatedYaml> documents = new ArrayList<>();
        List<Finding> parseErrors = new ArrayList<>();
        for (TemplateRenderer.Rendered r : rendered.documents()) {
            try {
                documents.add(LocatedYaml.parse(r.file(), r.text()));
            } catch (ConfigValidationException e) {
                parseErrors.addAll(e.findings());
            }
        }
        if (!parseErrors.isEmpty()) {
            throw new ConfigValidationException(parseErrors);
        }
        return documents;
    }

    /** The skeleton first, then models/*.yaml.mustache in name order (not the file system's listing order). */
    static List<String> templateFiles(Path templatesDir) throws IOException {
        List<String> files = new ArrayList<>();
        if (Files.isRegularFile(templatesDir.resolve(SKELETON))) {
            files.add(SKELETON);
        }
        Path models = templatesDir.resolve(MODELS_DIR);
        if (Files.isDirectory(models)) {
            try (Stream<Path> list = Files.list(models)) {
                list.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".yaml.mustache") || n.endsWith(".yml.mustache"))
                        .sorted()
                        .forEach(n -> files.add(MODELS_DIR + "/" + n));
            }
        }
        return files;
    }

    /** Secret value -> its dotted path in the secrets repo, the name env-file mode gives it. */
    private static Map<String, String> secretNames(SecretContext secrets) {
        Map<String, String> names = new LinkedHashMap<>();
        secrets.leaves().forEach((path, value) -> {
            if (value instanceof String s && !s.isEmpty()) {
                names.putIfAbsent(s, path);
            }
        });
        return names;
    }

    static List<String> modelNames(Map<String, Object> config) {
        List<String> names = new ArrayList<>();
        if (config.get("model_list") instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof Map<?, ?> m && m.get("model_name") instanceof String n && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    static List<String> envRefs(Object config) {
        TreeSet<String> refs = new TreeSet<>();
        collectRefs(config, refs);
        return List.copyOf(refs);
    }

    private static void collectRefs(Object value, TreeSet<String> refs) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectRefs(v, refs));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, refs));
        } else if (value instanceof String s && s.startsWith("os.environ/")) {
            refs.add(s.substring("os.environ/".length()));
        }
    }

    /** SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC, whole seconds. */
    private static String buildTime() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        Instant when = epoch != null && epoch.matches("\\d+") ? Instant.ofEpochSecond(Long.parseLong(epoch)) : Instant.now();
        return when.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
