package dev.litellmdeploy.builder;

import java.nio.file.Path;
import java.util.List;

/** A written bundle, the warnings found on the way, and the redacted config (safe to print). */
public record BuildResult(Path bundleDir, Manifest manifest, List<Finding> warnings, String redactedConfig, Redactor redactor) {
}
