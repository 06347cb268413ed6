package dev.litellmdeploy.deployer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import dev.litellmdeploy.deployer.bundle.Bundle;

/** Bundle + what the host holds -> the plan. Pure: the same inputs give the same plan. */
public final class Planner {
    private static final DateTimeFormatter RELEASE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public DeploymentPlan plan(HostTarget host, Bundle bundle, HostState state, String currentRedactedConfig, DeploySettings settings,
            Instant now) {
        RemoteLayout l = settings.layout();
        Map<String, String> targets = Map.of(Bundle.CONFIG, l.configPath(), Bundle.ENV_FILE, l.envPath(), Bundle.UNIT, l.unitPath());
        List<String> changed = new ArrayList<>();
        for (String file : List.of(Bundle.CONFIG, Bundle.ENV_FILE, Bundle.UNIT)) {
            String want = bundle.manifest().files().get(file);
            String installed = state.installedDigests().get(targets.get(file));
            if (want != null ? !want.equals(installed) : installed != null && Bundle.ENV_FILE.equals(file)) {
                changed.add(file);
            }
        }
        boolean installUv = state.uvVersion() == null || (settings.uv().version() != null && !settings.uv().version().equals(state.uvVersion()));
        boolean createUser = !state.userExists();
        boolean sameRelease = changed.isEmpty() && bundle.bundleId().equals(state.currentBundleId());
        String reason = !changed.isEmpty() ? String.join(", ", changed) + " changed"
                : !state.active() ? "service is " + blankAs(state.activeState(), "not installed")
                // the files are this bundle's but no release records them: an earlier deploy stopped after installing
                : !sameRelease ? "the installed files are this bundle's but not recorded (an earlier deploy stopped after installing)"
                : null;
        boolean restart = reason != null;
        String releaseId = sameRelease ? state.currentRelease() : RELEASE_TIME.format(now) + "-" + bundle.bundleId().substring(0, 12);

        List<String> steps = new ArrayList<>(List.of("connect", "preflight", "lock", "read-current", "diff"));
        if (!sameRelease) {
            steps.add("upload");
        }
        if (installUv) {
            steps.add("ensure-uv");
        }
        if (createUser) {
            steps.add("ensure-user");
        }
        if (!changed.isEmpty() || !state.enabled()) {
            steps.add("install");
        }
        if (changed.contains(Bundle.UNIT)) {
            steps.add("daemon-reload");
        }
        if (!state.enabled()) {
            steps.add("enable");
        }
        if (restart) {
            steps.add("restart");
        }
        steps.addAll(List.of("wait-ready", "verify-models", "record", "unlock"));
        String redacted = bundle.files().containsKey(Bundle.REDACTED_CONFIG)
                ? new String(bundle.files().get(Bundle.REDACTED_CONFIG), java.nio.charset.StandardCharsets.UTF_8) : "";
        return new DeploymentPlan(host, releaseId, state.currentRelease(), List.copyOf(changed), installUv, createUser, restart, reason,
                List.copyOf(steps), diff(currentRedactedConfig, redacted, state.currentRelease()));
    }

    /** A unified diff of the redacted configs (secrets are markers on both sides), empty when equal. */
    static String diff(String before, String after, String currentRelease) {
        if (before == null) {
            before = "";
        }
        if (before.equals(after)) {
            return "";
        }
        List<String> a = Arrays.asList(before.split("\n", -1));
        List<String> b = Arrays.asList(after.split("\n", -1));
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(
                "config.yaml (" + (currentRelease == null ? "nothing deployed" : currentRelease) + ")", "config.yaml (this bundle)", a,
                DiffUtils.diff(a, b), 3);
        return String.join("\n", lines) + "\n";
    }

    private static String blankAs(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
