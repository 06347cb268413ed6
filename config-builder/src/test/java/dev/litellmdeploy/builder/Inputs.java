package dev.litellmdeploy.builder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a templates directory and a secrets directory under a temp folder, file by file. */
final class Inputs {
    final Path root;
    final Path templates;
    final Path secrets;
    final Path out;

    Inputs(Path root) {
        this.root = root;
        this.templates = root.resolve("templates");
        this.secrets = root.resolve("secrets");
        this.out = root.resolve("bundle");
        try {
            Files.createDirectories(templates.resolve("models"));
            Files.createDirectories(secrets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String SKELETON = "general_settings:\n  master_key: {{litellm.master_key}}\n";
    static final String SECRETS = "litellm:\n  master_key: sk-fake-master-aaaaaaaaaaaa\nkeys:\n  muffin: sk-fake-muffin-bbbbbbbbbbbb\n";
    static final String MODEL = "- model_name: frontier-muffin\n  litellm_params:\n    model: openai/muffin\n    api_key: {{keys.muffin}}\n";

    /** A small valid set: skeleton with master key, one model file, one secrets file. */
    static Inputs valid(Path root) {
        return new Inputs(root).template("config.yaml.mustache", SKELETON).model("10-muffin", MODEL).secret("main.yaml", SECRETS);
    }

    Inputs template(String name, String text) {
        return write(templates.resolve(name), text);
    }

    Inputs model(String name, String text) {
        return write(templates.resolve("models/" + name + ".yaml.mustache"), text);
    }

    Inputs secret(String name, String text) {
        return write(secrets.resolve(name), text);
    }

    Inputs secretBytes(String name, byte[] bytes) {
        try {
            Files.createDirectories(secrets.resolve(name).getParent());
            Files.write(secrets.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private Inputs write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    BuildResult build() throws ConfigValidationException, IOException {
        return build(BundleOptions.defaults());
    }

    BuildResult build(BundleOptions options) throws ConfigValidationException, IOException {
        return new ConfigBuilder().build(BuildRequest.fromTemplates(templates, secrets, out, options));
    }

    /** Builds expecting failure; returns the findings. */
    List<Finding> failures() throws IOException {
        try {
            build();
            throw new AssertionError("the build should have failed");
        } catch (ConfigValidationException e) {
            return e.findings();
        }
    }

    String bundleFile(String name) throws IOException {
        return Files.readString(out.resolve(name), StandardCharsets.UTF_8);
    }
}
