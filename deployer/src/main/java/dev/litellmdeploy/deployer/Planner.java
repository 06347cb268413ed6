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
import dev.litellmdeploy.deployer.steps.Prepare;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.strategy.Facts;
import dev.litellmdeploy.deployer.strategy.Strategy;

/**
 * Bundle + what the host holds -> the plan: what changes and why, and the program (the prepare steps, then the
 * strategy's). Pure: the same inputs give the same plan.
 */
public final class Planner {
    private static final DateTimeFormatter RELEASE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public DeploymentPlan plan(HostTarget host, Bundle bundle, HostState state, String currentRedactedConfig, DeploySettings settings,
            Instant now) {
        boolean blueGreen = settings.strategy() == DeploySettings.Strategy.BLUE_GREEN;
        BlueGreenState bg = state.blueGreen();
        Map<String, String> installed = blueGreen ? bg.liveDigests() : installedByName(state, settings.layout());
        List<String> changed = new ArrayList<>();
        for (String file : List.of(Bundle.CONFIG, Bundle.ENV_FILE, Bundle.UNIT)) {
            String want = bundle.manifest().files().get(file);
            String have = installed.get(file);
            if (want != null ? !want.equals(have) : have != null && Bundle.ENV_FILE.equals(file)) {
                changed.add(file);
            }
        }
        Drift drift = state.drift().exceptInstalledFrom(bundle.manifest().files());
        // a drifted file is reinstalled even when the bundle's copy is the installed one's (another mode or owner)
        for (String file : blueGreen ? List.<String>of() : drift.files(null)) {
            if (!changed.contains(file) && (bundle.manifest().files().containsKey(file) || Bundle.ENV_FILE.equals(file))) {
                changed.add(file);
            }
        }
        changed.sort(java.util.Comparator.comparingInt(List.of(Bundle.CONFIG, Bundle.ENV_FILE, Bundle.UNIT)::indexOf));
        boolean installUv = state.uvVersion() == null || (settings.uv().version() != null && !settings.uv().version().equals(state.uvVersion()));
        boolean createUser = !state.userExists();
        String currentBundle = blueGreen ? bg.liveBundleId() : state.currentBundleId();
        // the recorded bundle, and every installed file that differs is drift: the recorded release is installed again (no upload)
        boolean sameRelease = bundle.bundleId().equals(currentBundle) && (blueGreen ? changed.isEmpty() : drift.files(null).containsAll(changed));
        String reason = drift.drifted() ? withDrift(changed, sameRelease, state, drift, blueGreen)
                : blueGreen ? blueGreenReason(changed, sameRelease, bg) : restartReason(changed, sameRelease, state);
        boolean restart = reason != null;
        String releaseId = sameRelease ? (blueGreen ? bg.releaseOf(bg.live()) : state.currentRelease())
                : RELEASE_TIME.format(now) + "-" + bundle.bundleId().substring(0, 12);

        String adopting = blueGreen || state.adoptable() == null ? null : state.adoptable().planNote(settings.layout());
        List<Step> program = new ArrayList<>();
        if (adopting != null) {
            program.add(new Prepare.Adopt());
        }
        if (!sameRelease) {
            program.add(new Prepare.Upload(releaseId));
        }
        if (WheelhouseUpload.needed(bundle, settings.layout(), state)) {
            program.add(new Prepare.Wheelhouse());
        }
        if (installUv) {
            program.add(new Prepare.EnsureUv(settings.uv().describe()));
        }
        if (createUser) {
            program.add(new Prepare.EnsureUser(settings.layout().serviceUser()));
        }
        if (PythonEnv.needed(bundle, settings.layout(), state)) {
            program.add(pythonEnv(releaseId, bundle, settings));
        }
        if (blueGreen && !bg.nginxInstalled()) {
            program.add(new Prepare.EnsureProxy());
        }
        String restored = adopting != null ? Adoption.ID : state.currentRelease();
        program.addAll(Strategy.forDeploy(settings).deploy(new Facts(releaseId, restored, state, bundle, settings, changed, reason, drift)));
        String redacted = bundle.files().containsKey(Bundle.REDACTED_CONFIG)
                ? new String(bundle.files().get(Bundle.REDACTED_CONFIG), java.nio.charset.StandardCharsets.UTF_8) : "";
        return new DeploymentPlan(host, releaseId, state.currentRelease(), changed, installUv, createUser, restart, reason, program,
                diff(currentRedactedConfig, redacted, state.currentRelease()), adopting, drift);
    }

    /** The step that builds the environment a release's unit runs (a deploy, or a rollback to a release whose environment went). */
    public static Prepare.PythonEnv pythonEnv(String release, Bundle bundle, DeploySettings settings) {
        String wheelhouse = Wheelhouse.namedBy(bundle, settings.layout());
        return new Prepare.PythonEnv(release, PythonEnv.namedBy(bundle, settings.layout()), wheelhouse == null ? settings.python().describe()
                : "offline, from wheelhouse " + wheelhouse + (settings.python().isDefault() ? "" : " (--python-index and --python-install-mirror not used)"));
    }

    /** A unified diff of the redacted configs (secrets are markers on both sides), empty when equal. */
    static String diff(String before, String after, String currentRelease) {
        if (before == null) {
            before = "";
        }
        if (!before.isEmpty() && !before.startsWith(Bundle.ALLOW_LIST_REDACTION)) {
            // made before the allow-list: a database URL or header in it may be in clear
            before = "# (the current release's redacted view predates the allow-list redaction and is not shown)\n";
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

    private static Map<String, String> installedByName(HostState state, RemoteLayout l) {
        Map<String, String> out = new java.util.HashMap<>();
        Map<String, String> targets = Map.of(Bundle.CONFIG, l.configPath(), Bundle.ENV_FILE, l.envPath(), Bundle.UNIT, l.unitPath());
        targets.forEach((name, path) -> {
            if (state.installedDigests().containsKey(path)) {
                out.put(name, state.installedDigests().get(path));
            }
        });
        return out;
    }

    private static String restartReason(List<String> changed, boolean sameRelease, HostState state) {
        if (state.blueGreen().deployed()) {
            return "leaving blue-green for restart";
        }
        if (!changed.isEmpty()) {
            return String.join(", ", changed) + " changed";
        }
        if (!state.active()) {
            return "service is " + blankAs(state.activeState(), "not installed");
        }
        // the files are this bundle's but no release records them: an earlier deploy stopped after installing
        return sameRelease ? null : "the installed files are this bundle's but not recorded (an earlier deploy stopped after installing)";
    }

    private static String blueGreenReason(List<String> changed, boolean sameRelease, BlueGreenState bg) {
        if (!bg.deployed()) {
            return "first blue-green deploy: start " + bg.idle() + ", then move the public port to the proxy";
        }
        if (!sameRelease) {
            return (changed.isEmpty() ? "a new release" : String.join(", ", changed) + " changed") + ": start " + bg.idle() + ", then switch";
        }
        if (!bg.running(bg.live())) {
            return "the live color " + bg.live() + " is " + blankAs(bg.active().get(bg.live()), "stopped") + ": start " + bg.idle() + ", then switch";
        }
        if (!"ok".equals(bg.proxy())) {
            return "the proxy site is " + bg.proxy() + " (edited or removed since the deployer wrote it): start " + bg.idle() + ", then switch";
        }
        return null;
    }

    /**
     * The restart (or switch) reason of a drifted host: for the recorded bundle, the repair (and a service that is not running);
     * for a new one, its own reason and the repair. A blue-green host repairs by a switch (the idle color starts with the
     * release's files, then takes the traffic).
     */
    private static String withDrift(List<String> changed, boolean sameRelease, HostState state, Drift drift, boolean blueGreen) {
        String repairs = "repairs drift (" + drift.audit().replace("drift repaired: ", "") + ")";
        BlueGreenState bg = state.blueGreen();
        if (!sameRelease) {
            return (blueGreen ? blueGreenReason(changed, false, bg) : restartReason(changed, false, state)) + "; " + repairs;
        }
        if (blueGreen) {
            String down = bg.running(bg.live()) ? "" : "; the live color " + bg.live() + " is " + blankAs(bg.active().get(bg.live()), "stopped");
            return repairs + down + ": start " + bg.idle() + ", then switch";
        }
        String base = restartReason(List.of(), true, state);
        return base == null ? repairs : base + "; " + repairs;
    }

    private static String blankAs(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
