package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.UvStandIn;

/** Bundles built by the real builder from the example, and deployer settings for a test host. */
final class Fixtures {
    static final Path EXAMPLES = MachinePreparation.projectRoot().resolve("examples");

    private Fixtures() {
    }

    /** The example's bundle, optionally with extra model templates (name -> text) and unit environment. */
    static Bundle exampleBundle(Path dir, Map<String, String> extraModels, Map<String, String> unitEnv) throws Exception {
        Path templates = dir.resolve("templates");
        TestFiles.copyTree(EXAMPLES.resolve("templates"), templates);
        for (Map.Entry<String, String> m : extraModels.entrySet()) {
            Files.writeString(templates.resolve("models/" + m.getKey() + ".yaml.mustache"), m.getValue());
        }
        Path out = dir.resolve("bundle");
        new ConfigBuilder().build(BuildRequest.fromTemplates(templates, EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withEnvironment(unitEnv).withSourceRevision("test-" + dir.getFileName())));
        return Bundle.read(out);
    }

    /** The example built in env-file mode: secrets in litellm.env, os.environ/ references in config.yaml. */
    static Bundle exampleEnvFileBundle(Path dir) throws Exception {
        Path out = dir.resolve("bundle");
        new ConfigBuilder().build(BuildRequest.fromTemplates(EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withEnvFileMode(true).withSourceRevision("test-env-file")));
        return Bundle.read(out);
    }

    /** The example plus one model named {@code name} (so every such bundle is a changed config), built in dir/name. */
    static Bundle changedBundle(Path dir, String name, Map<String, String> unitEnv) throws Exception {
        return exampleBundle(dir.resolve(name), Map.of("40-" + name, "- model_name: " + name + "\n  litellm_params: {model: openai/x}\n"),
                unitEnv);
    }

    /** Builds a bundle from a templates directory (already written) and the example's secrets. */
    static Bundle rebuild(Path templates, Path out) throws Exception {
        new ConfigBuilder().build(BuildRequest.fromTemplates(templates, EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withSourceRevision("test-" + out.getFileName())));
        return Bundle.read(out);
    }

    /** A lock as `litellm-deploy lock` writes it, for LiteLLM {@code version} (its one hash is made up: nothing installs it). */
    static String lockText(String version, String hashSeed) {
        return dev.litellmdeploy.builder.PythonLock.header(java.util.List.of("litellm[proxy]==" + version), "3.11", "x86_64-manylinux_2_36")
                + "litellm==" + version + " \\\n    --hash=sha256:" + Bundle.sha256(hashSeed.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\n    # via -r requirements.in\n";
    }

    /** The example built with a lock: the unit runs the lock's environment. */
    static Bundle lockedBundle(Path dir, String lockText, Map<String, String> unitEnv) throws Exception {
        Path out = dir.resolve("bundle");
        dev.litellmdeploy.builder.PythonLock lock = dev.litellmdeploy.builder.PythonLock.parse(lockText, "test lock");
        new ConfigBuilder().build(BuildRequest.fromTemplates(EXAMPLES.resolve("templates"), EXAMPLES.resolve("secrets"), out,
                BundleOptions.defaults().withLitellmVersion(lock.litellmVersion()).withEnvironment(unitEnv).withPythonLock(lock)
                        .withSourceRevision("test-" + dir.getFileName())));
        return Bundle.read(out);
    }

    static Bundle exampleBundle(Path dir) throws Exception {
        return exampleBundle(dir, Map.of(), Map.of());
    }

    static Bundle configBundle(Path dir, String configYaml) throws Exception {
        return configBundle(dir, configYaml, BundleOptions.defaults());
    }

    /** A bundle built from a ready config.yaml (as Nix users build one), with these options. */
    static Bundle configBundle(Path dir, String configYaml, BundleOptions options) throws Exception {
        Path config = dir.resolve("ready-config.yaml");
        Files.createDirectories(dir);
        Files.writeString(config, configYaml);
        Path out = dir.resolve("bundle");
        new ConfigBuilder().build(BuildRequest.fromConfig(config, out, options));
        return Bundle.read(out);
    }

    static SshSettings ssh(TestHost host, String user) {
        return new SshSettings(user, host.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(host.knownHostsLine()), null,
                Duration.ofSeconds(20));
    }

    static DeploySettings settings(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        return DeploySettings.defaults().withUv(UvSource.localFile(UvStandIn.archive(workDir))).withReadyTimeout(Duration.ofSeconds(30))
                .withActor("test-actor@ci");
    }

    /** A listener that hands everything a deploy reports (plans, diffs, step details, progress, outcomes) to the leak guard. */
    static final DeployListener LEAK_CHECKED = checked(DeployListener.NONE);

    static DeployListener checked(DeployListener inner) {
        return new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                LeakGuard.scan("plan of " + plan.host(), plan.toString());
                inner.planned(plan);
            }

            @Override
            public void stepStarted(HostTarget h, String step) {
                inner.stepStarted(h, step);
            }

            @Override
            public void stepFinished(HostTarget h, String step, Duration took, String detail) {
                LeakGuard.scan("step " + step + " on " + h, detail);
                inner.stepFinished(h, step, took, detail);
            }

            @Override
            public void progress(HostTarget h, String step, String message) {
                LeakGuard.scan("progress of " + step + " on " + h, message);
                inner.progress(h, step, message);
            }

            @Override
            public void finished(HostResult result) {
                LeakGuard.scan("result for " + result.host(), result.message());
                inner.finished(result);
            }
        };
    }

    static HostTarget target(TestHost host) {
        return new HostTarget(host.host(), host.sshPort());
    }

    static List<HostTarget> targets(TestHost host) {
        return List.of(target(host));
    }
}
